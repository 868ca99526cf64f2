"""auditapp: a phone-first field app for mystery-guest audits against service concepts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers and CLI — no I/O beyond instance/."""
    instance = os.environ.get("AUDITAPP_INSTANCE_PATH")  # needed before the config exists
    app = Flask(__name__, instance_relative_config=True, instance_path=os.path.abspath(instance) if instance else None,
                static_folder=str(ROOT / "static"), template_folder=str(ROOT / "templates"))
    from . import config

    app.config.from_object(config.Defaults)
    if test_config is None:
        app.config.from_prefixed_env("AUDITAPP")
    else:
        app.config.from_mapping(test_config)
    config.finish(app)

    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import database  # noqa: F401  (installs the SQLite pragmas)
    from .accounts.auth import init_login
    from .extensions import babel, compress, csrf, db, limiter, migrate
    from .i18n import init_report_text, select_locale
    from .templating import init_templating

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_report_text(app)
    init_templating(app)
    init_login(app)
    compress.init_app(app)
    limiter.init_app(app)
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def register_converters(app: Flask) -> None:
    from .converters import IdConverter, SlugConverter

    app.url_map.converters["int"] = IdConverter  # before the blueprints add their rules
    app.url_map.converters["slug"] = SlugConverter


def register_blueprints(app: Flask) -> None:
    from .accounts.api import bp as session_api_bp
    from .accounts.views import bp as accounts_bp
    from .admin.views import bp as admin_bp
    from .audit.views import bp as audit_bp
    from .api import bp as api_bp
    from .api import init_api
    from .branches.api import bp as branches_api_bp
    from .branches.views import bp as branches_bp
    from .concepts.views import bp as concepts_bp
    from .handbooks.views import bp as handbooks_bp
    from .home.views import bp as home_bp
    from .offline.assets import init_assets
    from .offline.views import bp as offline_bp
    from .offline.views import init_offline
    from .photos.api import bp as photos_api_bp
    from .reports.api import bp as reports_api_bp
    from .reports.views import bp as reports_bp
    from .review.views import bp as review_bp
    from .roles.api import bp as roles_api_bp
    from .schedule.api import bp as schedule_api_bp
    from .roles.views import bp as roles_bp
    from .schedule.views import bp as schedule_bp
    from .staff.views import bp as staff_bp
    from .users.views import bp as users_bp
    from .visits.api import bp as visits_api_bp
    from .visits.views import bp as visits_bp

    for bp in (accounts_bp, home_bp, visits_bp, review_bp, reports_bp, roles_bp, handbooks_bp, staff_bp,
               schedule_bp, concepts_bp, users_bp, branches_bp, admin_bp, audit_bp, offline_bp):
        app.register_blueprint(bp)
    init_assets(app)
    init_offline(app)
    init_api(app, [api_bp, session_api_bp, branches_api_bp, visits_api_bp, photos_api_bp, reports_api_bp, roles_api_bp, schedule_api_bp])


def register_errorhandlers(app: Flask) -> None:
    from .errors import init_errors
    from .policy import init_policy
    from .security import init_security_headers

    init_errors(app)
    init_policy(app)
    init_security_headers(app)


def register_commands(app: Flask) -> None:
    from .cli import init_cli

    init_cli(app)
