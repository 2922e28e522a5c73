"""What a system produced on the gold texts: the unit the report, the suite and the baselines pass around."""
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from ..pipeline.events import Output


@dataclass
class SystemRun:
    """One row of the report: a system's predictions on the gold texts.

    ``covers`` names what the system predicts at all ("entities", "triggers",
    "arguments"); the report shows "—" for the rest instead of a zero that
    would read as a failure. ``gold_input`` holds its argument predictions
    from gold entities and triggers, when it has an argument component.
    """

    name: str
    description: str
    covers: Tuple[str, ...]
    predictions: List[Output]
    gold_input: Optional[List[Output]] = None
    seconds: float = 0.0
    notes: List[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)
