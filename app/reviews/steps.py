"""The method's steps, per phase, with the method's own reasoning (leerreview-methode, after SCIE)."""

from dataclasses import dataclass

from app.i18n import N_


@dataclass(frozen=True)
class StepDefinition:
    """One step of the three-phase guide; title and explanation are translated when shown."""

    key: str
    phase: int
    title: str
    explanation: str


PHASES = {
    1: N_("Preparation"),
    2: N_("Data collection"),
    3: N_("Analysis and reporting"),
}

STEPS: tuple[StepDefinition, ...] = (
    StepDefinition(
        "case_selected",
        1,
        N_("Case selected, with reasons"),
        N_(
            "Choose a case with multiple, complex problems in which, according to those involved, integrated help "
            "and collaboration succeeded in the last one or two years. Write down the criteria and why this case "
            "fits: the method learns from what went well."
        ),
    ),
    StepDefinition(
        "participants_selected",
        1,
        N_("Participants selected"),
        N_(
            "Decide together with the family and the directly involved professionals who takes part: the parents, "
            "the children and the professionals who were really involved."
        ),
    ),
    StepDefinition(
        "consent_recorded",
        1,
        N_("Consent recorded"),
        N_(
            "Record for each participant what they agreed to and how. Nobody is interviewed without consent, and "
            "the group interview cannot start while a participant lacks it."
        ),
    ),
    StepDefinition(
        "participants_prepared",
        1,
        N_("Participants prepared"),
        N_(
            "Tell every participant the purpose, the dates and what happens with their words, so that they can "
            "speak freely."
        ),
    ),
    StepDefinition(
        "interviews_held",
        2,
        N_("Interviews held"),
        N_(
            "Hold semi-structured interviews along the topic guide, alone or together (parents together, children "
            "together), always with two researchers, and mark quotes with the speaker's role."
        ),
    ),
    StepDefinition(
        "lifeline_constructed",
        2,
        N_("Life-line constructed"),
        N_(
            "Build the family's life-line from the notes: life events, care episodes, crises and school. Keep "
            "vague dates vague and note the source of every event."
        ),
    ),
    StepDefinition(
        "file_study_done",
        2,
        N_("File study done"),
        N_(
            "Read treatment plans and reports of collaboration meetings to check unclear points and to see how "
            "the collaboration worked; each document can confirm, correct or add life-line events."
        ),
    ),
    StepDefinition(
        "group_interview_held",
        3,
        N_("Group interview held"),
        N_(
            "Everyone who was interviewed corrects the life-line together, names what worked and what hindered, "
            "and sets priorities with stickers."
        ),
    ),
    StepDefinition(
        "findings_tree_done",
        3,
        N_("Final analysis and findings tree"),
        N_(
            "Work out the findings tree: the success at the root, the main success factors as branches, the "
            "contributing factors beneath them, each backed by evidence."
        ),
    ),
    StepDefinition(
        "share_back_held",
        3,
        N_("Share-back meeting held"),
        N_(
            "Discuss the analysis and the findings tree with everyone involved, so that they recognise their own "
            "case in it and can correct it."
        ),
    ),
    StepDefinition(
        "report_delivered",
        3,
        N_("Report delivered"),
        N_("Deliver the report, with pseudonyms only, to the teams and organisations that took part."),
    ),
)

BY_KEY = {step.key: step for step in STEPS}
