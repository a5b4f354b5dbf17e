"""Excel's cell values as the functions meet them (addin.udf_values): date serials in Excel's
calendar, read as the dates Excel shows."""

from addin import udf_values


def test_serials_follow_excels_calendar_including_its_phantom_1900_02_29():
    assert udf_values.date_cell(61.0) == "1900-03-01"
    assert udf_values.date_cell(59) == "1900-02-28"
    assert udf_values.date_cell(1) == "1900-01-01"
    assert udf_values.date_cell(60) == 60  # no such day: addin.cases rejects it
    assert udf_values.date_cell(45473.25) == "2024-06-30 06:00:00"  # the time of day kept for addin.cases


def test_an_argument_becomes_rows_of_cells_however_it_arrives():
    import numpy as np
    assert udf_values.cell_rows(5.0) == [[5.0]]
    assert udf_values.cell_rows([1.0, 2.0]) == [[1.0, 2.0]]  # a single-row range, as COM sends it
    assert udf_values.cell_rows([[1.0], [2.0]]) == [[1.0], [2.0]]
    assert udf_values.cell_rows([]) == [[None]] and udf_values.cell_rows([[]]) == [[None]]
    assert udf_values.cell_rows(np.array([[1.0, 2.0]])) == [[1.0, 2.0]]


def test_a_typed_cell_is_its_basic_value_and_a_blank_is_none():
    formatted = {"type": "FormattedNumber", "basicValue": 45473.0, "numberFormat": "m/d/yyyy"}
    error = {"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}
    assert udf_values.plain(formatted) == 45473.0 and udf_values.plain(error) == "#N/A"
    assert udf_values.plain("") is None and udf_values.plain(None) is None
    assert udf_values.date_cell(formatted) == udf_values.date_cell(45473.0) == "2024-06-30"


def test_a_rate_reads_to_the_fifteen_digits_excel_shows():
    from decimal import Decimal
    assert udf_values.rate_cell(0.1 * 0.7) == Decimal("0.07")  # 0.06999999999999999 as a double
    assert udf_values.rate_cell(0.066) == Decimal("0.066")
    assert udf_values.rate_cell("0.0660") == "0.0660" and udf_values.rate_cell("") is None


def test_a_switch_is_true_or_false_in_one_cell():
    import pytest
    for cell in (True, [[True]], "TRUE", " yes ", 1.0, {"type": "Boolean", "basicValue": True}):
        assert udf_values.flag_cell(cell) is True, cell
    for cell in (None, "", [[None]], False, "false", 0, "0"):
        assert udf_values.flag_cell(cell) is False, cell
    with pytest.raises(ValueError, match="'maybe' is not TRUE or FALSE"):
        udf_values.flag_cell("maybe")
    with pytest.raises(ValueError, match="not a 2x1 range"):
        udf_values.flag_cell([[True], [False]])
    with pytest.raises(ValueError, match="'2.0' is not TRUE or FALSE"):
        udf_values.flag_cell(2.0)
