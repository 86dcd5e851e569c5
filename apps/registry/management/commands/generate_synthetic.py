"""``manage.py generate_synthetic --persons N --seed S``: synthetic persons for demos and
benchmarks (see ``apps.registry.synthetic`` for what is made and what is refused)."""

from django.core.management.base import BaseCommand, CommandError

from apps.registry.synthetic import GenerationRefused, Summary, generate


class Command(BaseCommand):
    help = (
        "Adds synthetic Ukrainian persons in households to the hubs of this database "
        "(deterministic for a seed; a rerun adds only what is missing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, required=True, help="how many persons")
        parser.add_argument("--seed", type=int, default=1, help="the seed (0-65535), default 1")

    def handle(self, *args, persons: int, seed: int, **options):
        def progress(summary: Summary) -> None:
            done = summary.persons + summary.skipped
            if options["verbosity"] >= 2 or done % 100_000 == 0 or done == persons:
                self.stdout.write(f"  {done:>9,} persons  {summary.seconds:7.1f} s")

        try:
            summary = generate(persons=persons, seed=seed, progress=progress)
        except GenerationRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.persons:,} persons added ({summary.skipped:,} were there), "
                f"{summary.households:,} households, {summary.rows:,} rows in "
                f"{summary.seconds:.1f} s ({summary.rows_per_second:,.0f} rows/s)."
            )
        )
