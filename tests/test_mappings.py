import subprocess
import sys

import pytest

from kg.errors import RuleError
from kg.mappings import load_mappings


def test_project_mappings_validate_and_examples_fire():
    result = subprocess.run([sys.executable, "-m", "kg.cli", "validate"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_broken_rule_names_file_rule_path_and_line(mappings_copy):
    path = mappings_copy / "rules" / "meetings.yaml"
    text = path.read_text().replace("    type: Talks\n    mode: InPerson\n", "    type: Talks\n    mode: Telepathy\n", 1)
    path.write_text(text)
    with pytest.raises(RuleError) as err:
        load_mappings(mappings_copy)
    message = str(err.value)
    assert "meetings.yaml:" in message and "rule meeting.held-talks" in message
    assert "/rules/0/mode" in message and "'Telepathy' is not one of" in message


def test_unknown_key_and_bad_regex_are_reported(mappings_copy):
    path = mappings_copy / "rules" / "statements.yaml"
    path.write_text(path.read_text().replace("    prefix: \"document on\"\n", "    prefix: \"document on\"\n    prefx: x\n"))
    with pytest.raises(RuleError, match=r"rule agreement.documents-on, at /rules/\d+: unknown key 'prefx'"):
        load_mappings(mappings_copy)
    path.write_text(path.read_text().replace("    prefx: x\n", "").replace("the signing (?:ceremony )?of {items:text}$",
                                                                           "the signing (?:ceremony )?of ({items:text}$"))
    with pytest.raises(RuleError, match=r"rule agreement.witnessed-signing.*does not compile"):
        load_mappings(mappings_copy)


def test_duplicate_rule_id_is_reported(mappings_copy):
    path = mappings_copy / "rules" / "statements.yaml"
    path.write_text(path.read_text().replace("id: attendance.attended-events", "id: attendance.present"))
    with pytest.raises(RuleError, match="duplicate rule id"):
        load_mappings(mappings_copy)


def test_yaml_syntax_error_names_the_line(mappings_copy):
    (mappings_copy / "rules" / "broken.yaml").write_text("kind: rules\nrules:\n  - id: x\n    pattern: [unclosed\n")
    with pytest.raises(RuleError, match=r"broken.yaml:\d+: not valid YAML"):
        load_mappings(mappings_copy)
