def test_add_then_list_as_csv(kehu):
    assert kehu("add", "杭州海纳科技有限公司", "--grade", "B").exit_code == 0
    result = kehu("list", "--format", "csv", "--columns", "name,grade")
    assert result.exit_code == 0
    assert result.stdout == "name,grade\n杭州海纳科技有限公司,B\n"
