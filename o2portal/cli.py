"""The `o2portal` command: database migrations, demo data, staff accounts, mail."""

from __future__ import annotations

import argparse
import getpass
import sys

from o2portal.demo.specs import DEMO_STAFF_TOTP_SECRET


def _migrate(_args) -> int:
    from o2portal.core.migrate import upgrade_database

    upgrade_database()
    print("Database schema up to date.")
    return 0


def _seed_demo(_args) -> int:
    from o2portal.core.migrate import upgrade_database
    from o2portal.demo.seed import seed_demo

    upgrade_database()
    logins = seed_demo()
    print("\nDemo logins (password shared by all):")
    for login in logins:
        print(f"  {login.role:<9} {login.email:<34} {login.password}  {login.description}")
    print(
        "\nStaff sign in with a second factor too: `make demo-code` prints the current code "
        f"(or add the secret {DEMO_STAFF_TOTP_SECRET} to an authenticator app)."
    )
    return 0


def _demo_code(_args) -> int:
    """The demo staff's current second-factor code (their secret is public, as their
    password is: demo data only)."""
    import pyotp

    from o2portal.accounts.totp import STEP_SECONDS

    print(pyotp.TOTP(DEMO_STAFF_TOTP_SECRET, interval=STEP_SECONDS).now())
    return 0


def _create_admin(args) -> int:
    from o2portal.accounts.staff_accounts import create_staff_account
    from o2portal.core.errors import InvalidInput

    password = args.password or getpass.getpass("Password: ")
    try:
        create_staff_account(
            args.email,
            password,
            role=args.role,
            first_name=args.first_name,
            last_name=args.last_name,
        )
    except InvalidInput as exc:
        for field, key in exc.errors.items():
            print(f"{field}: {key}", file=sys.stderr)
        return 1
    print(f"Staff account {args.email} ({args.role}) created.")
    return 0


def _send_mail(_args) -> int:
    from o2portal.mail.outbox import deliver_pending

    print(f"{deliver_pending(limit=500)} email(s) sent.")
    return 0


def _jobs_run(_args) -> int:
    from o2portal.jobs.runner import run_all

    for run in run_all():
        state = "done" if run.ran else "skipped"
        print(f"{run.name:<14} {state:<8} {run.summary}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="o2portal")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        run=_migrate
    )
    sub.add_parser("seed-demo", help="load the demo data once and print the logins").set_defaults(
        run=_seed_demo
    )
    sub.add_parser("demo-code", help="the demo staff's current second-factor code").set_defaults(
        run=_demo_code
    )
    admin = sub.add_parser("create-admin", help="create a staff account")
    admin.add_argument("email")
    admin.add_argument("--role", choices=["admin", "support"], default="admin")
    admin.add_argument("--first-name", default="Équipe")
    admin.add_argument("--last-name", default="o2portal")
    admin.add_argument("--password", help="asked on the terminal when left out")
    admin.set_defaults(run=_create_admin)
    mail = sub.add_parser("mail", help="email commands")
    mail_sub = mail.add_subparsers(dest="mail_command", required=True)
    mail_sub.add_parser("send", help="deliver what is due in the outbox").set_defaults(
        run=_send_mail
    )
    jobs = sub.add_parser("jobs", help="background jobs (reminders, auto-renewal, expiry, mail)")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True)
    jobs_sub.add_parser("run", help="run every job once (for cron)").set_defaults(run=_jobs_run)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
