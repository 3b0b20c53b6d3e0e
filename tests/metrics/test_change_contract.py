"""The CI figures contract: one shape for `debtboard analyze --format json`, `debtboard check` and the API."""
import json
import math

import pytest

from metrics.check_client import CheckClientError, encode_submission
from metrics.core.analysis import AnalysisConfig, analyze_source
from metrics.data import AnalysisSettings, ChangedFileFigures, ChangeSubmission, RepositoryConfig
from metrics.errors import RepositoryInvalid

SOURCE = b"import os\n\n\ndef f(x):\n    if x:  # TODO: later\n        return 1\n    return 2\n"


def test_figures_from_an_analysis_round_trip_through_json():
    figures = ChangedFileFigures.from_analysis(analyze_source("pkg/f.py", SOURCE, AnalysisConfig()), old_path="f.py")
    assert (figures.path, figures.old_path, figures.violation_count, figures.marker_count) == ("pkg/f.py", "f.py", 1, 1)
    assert figures.functions == (("f", 2),)
    assert ChangedFileFigures.from_json(json.loads(json.dumps(figures.as_json()))) == figures
    submission = ChangeSubmission(files=(figures,), revision="a" * 40, reference="7", author_email="ada@example.com")
    assert ChangeSubmission.from_json(json.loads(json.dumps(submission.as_json()))) == submission


def test_a_file_that_does_not_parse_is_an_error_entry():
    figures = ChangedFileFigures.from_analysis(analyze_source("bad.py", b"def f(:\n", AnalysisConfig()))
    assert figures.status == "error" and figures.analysis_error
    assert figures.gate_figures() is not None and ChangedFileFigures("x.py", deleted=True).gate_figures() is None


@pytest.mark.parametrize("mi", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_never_sent(mi):
    with pytest.raises(CheckClientError, match="JSON cannot carry"):
        encode_submission(ChangeSubmission(files=(ChangedFileFigures("x.py", mi=mi),)))


def test_a_body_over_the_limit_is_refused_before_it_is_sent():
    files = tuple(ChangedFileFigures(f"pkg/m{i}.py", functions=tuple((f"f{j}", 1) for j in range(2000)))
                  for i in range(50))
    with pytest.raises(CheckClientError, match="over the 2,621,440 bytes"):
        encode_submission(ChangeSubmission(files=files))


def test_analysis_settings_round_trip_and_validation():
    settings = AnalysisSettings(config=RepositoryConfig(max_line_length=120), pinned=("max_line_length",),
                                default_branch="main")
    assert AnalysisSettings.from_json(json.loads(json.dumps(settings.as_json()))) == settings
    assert settings.analysis_config().max_line_length == 120
    with pytest.raises(RepositoryInvalid):
        AnalysisSettings.from_json({"max_line_length": -1})
