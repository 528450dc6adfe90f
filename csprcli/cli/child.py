"""`child`: the children of an incident (up to four) and what DfE counts about them."""

from typing import Annotated, Any

import typer

from csprcli.output import say
from csprcli.cli.common import RefArg, choice, group, opened
from csprcli.domain.model import Child
from csprcli.domain.vocabulary import AgeBand, Ethnicity, ProtectionPlan, Sex

app = group(
    "For each child: age band, sex, ethnicity, disability, whether looked after, the child in need and child "
    "protection plans, and whether known to agencies. Never a name."
)


AgeBandOpt = Annotated[AgeBand | None, typer.Option(help="The child's age band.", **choice(AgeBand))]

SexOpt = Annotated[Sex | None, typer.Option(help="The child's sex.", **choice(Sex))]

EthnicityOpt = Annotated[Ethnicity | None, typer.Option(help="DfE's main ethnic group.", **choice(Ethnicity))]

DisabilityOpt = Annotated[bool | None, typer.Option("--disability/--no-disability", help="A disability.")]

LookedAfterOpt = Annotated[
    bool | None, typer.Option("--looked-after/--not-looked-after", help="Looked after at the time.")
]

CinOpt = Annotated[bool | None, typer.Option("--cin-plan/--no-cin-plan", help="A child in need plan.")]

CpOpt = Annotated[ProtectionPlan | None, typer.Option(help="A child protection plan.", **choice(ProtectionPlan))]

KnownOpt = Annotated[bool | None, typer.Option("--known/--not-known", help="Known to agencies.")]


@app.command("add")
def child_add(
    ctx: typer.Context,
    ref: RefArg,
    child: Annotated[str, typer.Option(help="The child's pseudonymous reference. Never a name.")],
    age_band: AgeBandOpt = None,
    sex: SexOpt = None,
    ethnicity: EthnicityOpt = None,
    disability: DisabilityOpt = None,
    looked_after: LookedAfterOpt = None,
    cin_plan: CinOpt = None,
    cp_plan: CpOpt = None,
    known: KnownOpt = None,
) -> None:
    """Another child of the same incident (up to four in all; the incident's own --child is the primary one).

    Example: csprcli child add SI-2025-001 --child LCS-104240 --age-band 1-5 --sex female
    """
    from csprcli.services import records

    described: dict[str, Any] = dict(  # each characteristic, of its own kind
        zip(records.CHARACTERISTICS, (age_band, sex, ethnicity, disability, looked_after, cin_plan, cp_plan, known))
    )
    with opened(ctx, write=True) as store:
        records.add_child(store, ref, Child(child, **described))
        count = len(store.incident(ref).children)
    say(f"{ref.strip().upper()}: child added ({count} of at most {records.MAX_CHILDREN})")


@app.command("describe")
def child_describe(
    ctx: typer.Context,
    ref: RefArg,
    child: Annotated[str, typer.Argument(help="The child's reference as recorded.")],
    age_band: AgeBandOpt = None,
    sex: SexOpt = None,
    ethnicity: EthnicityOpt = None,
    disability: DisabilityOpt = None,
    looked_after: LookedAfterOpt = None,
    cin_plan: CinOpt = None,
    cp_plan: CpOpt = None,
    known: KnownOpt = None,
) -> None:
    """Record what DfE counts about a child already on the incident (a value once recorded is kept).

    Example: csprcli child describe SI-2025-001 LCS-104233 --age-band under-1 --sex male --ethnicity white --cp-plan current
    """
    from csprcli.services import records

    described = dict(
        zip(records.CHARACTERISTICS, (age_band, sex, ethnicity, disability, looked_after, cin_plan, cp_plan, known))
    )
    with opened(ctx, write=True) as store:
        records.describe_child(store, ref, child, **described)
    say(f"{ref.strip().upper()}: child's characteristics recorded")
