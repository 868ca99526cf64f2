from playwright.sync_api import expect

from .conftest import assert_no_horizontal_scroll, login


def test_auditor_logs_in_on_a_phone_and_lands_on_my_visits(live_app, phone, factory):
    auditor = factory.user("auditor")
    login(phone, auditor)
    assert phone.url.endswith("/visits/")  # /auditor, the auditor's home, sends them here
    expect(phone.get_by_role("heading", name="My visits")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    phone.goto("/login")
    assert phone.url.endswith("/visits/")  # already logged in


def test_wrong_password_stays_on_the_login_page(live_app, phone, factory):
    auditor = factory.user("auditor")
    login(phone, auditor, password="not the password")
    assert "/login" in phone.url
    expect(phone.get_by_text("Email or password is not right.", exact=True)).to_be_visible()
    expect(phone.get_by_role("link", name="Password: Email or password is not right.")).to_be_visible()  # the summary
    assert_no_horizontal_scroll(phone)
