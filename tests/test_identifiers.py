"""Row-aligned identifier keys: the forms real exports write one identifier in become one key,
and values that identify nobody (junk, spreadsheet damage) get none."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from chinacomply.classify import identifiers
from chinacomply.scan.recognizers import cn_resident_id

ID = "11010519491231002" + cn_resident_id.check_char("11010519491231002")


def test_resident_id_forms_share_one_key_and_junk_has_none() -> None:
    values = [
        ID,
        ID.lower(),
        "110105491231002",
        "'" + ID,
        "１１０１０５１９４９１２３１００２Ｘ",
        "1101 0519 4912 3100 2X",
        "110105194912310000",
        "1.10105E+17",
        None,
        "无",
    ]
    keys = identifiers.resident_id_keys(pa.array(values, pa.string()))
    assert len(set(keys[:6].tolist())) == 1 and keys[0] == int(ID[:17])
    assert (keys[6:] == identifiers.NO_KEY).all()


def test_excel_damage_is_told_apart_from_intact_ids() -> None:
    values = pa.array([ID, "110105194912310000", "1.10105E+17", "1.10105194912310E+17", None])
    assert identifiers.damaged(values).tolist() == [False, True, True, True, False]


def test_mobile_forms_share_one_key() -> None:
    values = [
        "13812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "013812345678",
        "１３８１２３４５６７８",
        "14012345678",
        "010-12345678",
        None,
    ]
    keys = identifiers.mobile_keys(pa.array(values, pa.string()))
    assert set(keys[:5].tolist()) == {identifiers.MOBILE_BASE + 13812345678}
    assert (keys[5:] == identifiers.NO_KEY).all()  # unassigned segment, landline, empty


def test_documents_in_one_column_each_get_a_key() -> None:
    column = pa.array([ID, "E12345678", "e12345678", "C12345678", "X1234567", "N/A", "000000"])
    keys = identifiers.row_keys("cn_resident_id", column)
    assert keys.ints[0] == int(ID[:17]) and (keys.ints[1:] == identifiers.NO_KEY).all()
    docs = keys.strings.to_pylist()
    assert docs[1] == docs[2] == "identity_document\0E12345678"
    assert docs[3] and docs[4] and docs[5] is None and docs[6] is None


def test_phone_column_keeps_foreign_mobiles_strong_and_desk_phones_weak() -> None:
    keys = identifiers.row_keys(
        "phone_number", pa.array(["13812345678", "+852 9123 4567", "010-6552 1234"])
    )
    assert keys.ints[0] > 0 and keys.strings.to_pylist()[1] == "phone_number\0+85291234567"
    assert keys.weak_strings.to_pylist()[2] == "landline\0" + "01065521234"
    assert identifiers.canonical(int(keys.ints[0])) == ("phone_number", "13812345678")


def test_minors_by_birth_date_inside_the_key() -> None:
    import datetime as dt

    young = "11010520150601001" + cn_resident_id.check_char("11010520150601001")
    keys = identifiers.resident_id_keys(pa.array([young, ID]))
    assert identifiers.minors_mask(keys, dt.date(2026, 6, 1), 14).tolist() == [True, False]
    assert np.all(
        identifiers.minors_mask(np.array([identifiers.MOBILE_BASE + 1]), dt.date(2026, 6, 1), 14)
        == [False]
    )
