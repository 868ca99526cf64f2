from .conftest import assert_no_horizontal_scroll, login


def test_auditor_logs_in_on_a_phone(live_app, phone, factory):
    auditor = factory.user("auditor")
    login(phone, auditor)
    assert phone.url.endswith("/auditor")
    assert_no_horizontal_scroll(phone)
    phone.goto("/login")
