"""The map file: read entirely, every mistake an error naming the file and the key."""

from __future__ import annotations

import pytest

from addin.cases import CaseFileError, DateOrder, MapError, load_cases, load_map

CASES = ("Emp ID,Term Date,Reason,Pay\n"
         "A1,3/5/2024,Involuntary,240000\n")
MAP = ('[columns]\n"Emp ID" = "employee_id"\n"Term Date" = "termination_date"\n'
       '"Reason" = "termination_reason"\n"Pay" = "base_salary"\n'
       '[values.termination_reason]\n"Involuntary" = "without_cause"\n')


def write(tmp_path, text, name="map.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_map_reads_headers_values_dates_and_sheet(tmp_path, agreements):
    path = write(tmp_path, MAP + '[dates]\norder = "dmy"\n[input]\nsheet = "Cases"\n')
    case_map = load_map(path)
    assert case_map.date_order is DateOrder.DMY and case_map.sheet == "Cases"
    cases = load_cases(write(tmp_path, CASES, "cases.csv"), agreements, case_map=path)
    assert cases.errors == ((),) and str(cases.termination_date[0]) == "2024-05-03"
    assert cases.termination_reason[0] == "without_cause"


def test_the_command_line_overrides_the_file(tmp_path, agreements):
    path = write(tmp_path, MAP + '[dates]\norder = "DMY"\n')
    cases = load_cases(write(tmp_path, CASES, "cases.csv"), agreements, case_map=path, date_order="MDY")
    assert str(cases.termination_date[0]) == "2024-03-05"


def test_map_keys_match_by_spelling(tmp_path, agreements):
    path = write(tmp_path, MAP.replace('"Emp ID"', '"EMP-ID"').replace('"Involuntary"', '"involuntary"'))
    cases = load_cases(write(tmp_path, CASES, "cases.csv"), agreements, case_map=path, date_order="MDY")
    assert cases.errors == ((),)


@pytest.mark.parametrize("text, message", [
    ('[colums]\n"A" = "employee_id"\n', "unknown key 'colums'; a map file has [columns]"),
    ('[columns]\n"Emp ID" = "employe_id"\n',
     "[columns] key 'Emp ID': 'employe_id' is not a case-table column"),
    ('[columns]\n"Emp ID" = "employee_id"\n"Worker" = "employee_id"\n',
     "[columns] keys 'Emp ID' and 'Worker': both map to employee_id"),
    ('[columns]\n"Emp ID" = "employee_id"\n"EMP ID" = "employee_name"\n',
     "[columns] keys 'Emp ID' and 'EMP ID': the same header spelled twice"),
    ('[values.termination_reason]\n"RIF" = "laid_off"\n',
     "[values.termination_reason] key 'RIF': 'laid_off' is not a termination_reason code; use one of"),
    ('[values.base_salary]\n"x" = "1"\n', "[values.base_salary]: base_salary holds no codes"),
    ('[values.reason]\n"x" = "for_cause"\n', "[values.reason]: 'reason' is not a case-table column"),
    ('[dates]\norder = "MYD"\n', "[dates] key 'order': 'MYD' is not a date order; use MDY, DMY or YMD"),
    ('[dates]\nformat = "MDY"\n', "unknown key 'format' in [dates]; it may hold order"),
    ('[input]\nsheet = 2\n', "[input] key 'sheet': must be the name of a sheet"),
    ('[columns\n', "not a readable TOML map file"),
])
def test_each_mistake_names_the_file_and_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(MapError) as error:
        load_map(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)
    assert isinstance(error.value, CaseFileError)  # the command exits 2 on it


def test_an_unknown_agreement_code_is_named_once_the_terms_are_known(tmp_path, agreements):
    path = write(tmp_path, MAP + '[values.agreement]\n"CTO" = "acme"\n')
    with pytest.raises(MapError, match=r"\[values.agreement\] key 'CTO': 'acme' is not a known agreement"):
        load_cases(write(tmp_path, CASES, "cases.csv"), agreements, case_map=path)


def test_a_missing_map_file_is_named(tmp_path):
    with pytest.raises(MapError, match="cannot read the map file"):
        load_map(tmp_path / "none.toml")


def test_a_header_mapped_onto_a_column_the_file_also_has_is_refused(tmp_path, agreements):
    cases = write(tmp_path, CASES.replace("Pay\n", "Pay,base_salary\n").replace("240000\n", "240000,1\n"),
                  "cases.csv")
    with pytest.raises(CaseFileError, match="columns 'Pay' and 'base_salary' both mean 'base_salary'"):
        load_cases(cases, agreements, case_map=write(tmp_path, MAP))
