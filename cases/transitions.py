"""Which stage a case may move to from which, as data: forward steps and real backward moves."""

from cases.models import Stage

# The rescue moves forward one step at a time; a verified case may skip waiting when the
# money and the moment are already there.
FORWARD: dict[str, tuple[str, ...]] = {
    Stage.RECEIVED: (Stage.SCREENING,),
    Stage.SCREENING: (Stage.VERIFIED,),
    Stage.VERIFIED: (Stage.WAITING, Stage.APPROVED),
    Stage.WAITING: (Stage.APPROVED,),
    Stage.APPROVED: (Stage.IN_TRANSIT,),
    Stage.IN_TRANSIT: (Stage.CROSSING,),
    Stage.CROSSING: (Stage.THIRD_COUNTRY,),
    Stage.THIRD_COUNTRY: (Stage.FLIGHT,),
    Stage.FLIGHT: (Stage.RESETTLING,),
    Stage.RESETTLING: (),
}

# Moves back that happen in real rescues; each needs a note saying why.
BACKWARD: dict[str, tuple[str, ...]] = {
    Stage.VERIFIED: (Stage.SCREENING,),  # new doubts: screen again
    Stage.APPROVED: (Stage.WAITING,),  # the money or the moment fell through
    Stage.IN_TRANSIT: (Stage.WAITING,),  # a crackdown: hide and wait
    Stage.CROSSING: (Stage.IN_TRANSIT, Stage.WAITING),  # turned back at the border
    Stage.FLIGHT: (Stage.THIRD_COUNTRY,),  # flight cancelled
}


def allowed_next(stage: str) -> tuple[str, ...]:
    return FORWARD.get(stage, ()) + BACKWARD.get(stage, ())


def is_backward(from_stage: str, to_stage: str) -> bool:
    return to_stage in BACKWARD.get(from_stage, ())
