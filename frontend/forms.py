"""Forms of the HTML interface: they validate input; views then call one selector or service."""
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

from django import forms

from debt.choices import ACTIVE_STATUSES
from debtboard.text import clean_text
from frontend.debt_choices import kind_choices, owner_queryset, status_choices
from metrics.choices import DEFAULT_WINDOW, WINDOWS, EffortUnit, Window
from metrics.data import RepositoryConfig
from sprints.choices import GoalKind

# Query-string keys of metrics' windows ("90", "365", "all") and the labels of the window switch.
WINDOW_DAYS = {("all" if days == Window.ALL else str(days)): days for days in WINDOWS}
WINDOW_CHOICES = tuple((key, Window(days).label.capitalize()) for key, days in WINDOW_DAYS.items())

# Sort keys offered in the query string, mapped to FileScore / FunctionScore fields.
FILE_SORTS = {
    "rank": "hotspot_rank", "path": "path", "revisions": "revisions", "churn": "churn",
    "complexity": "complexity", "health": "health", "lint": "lint_density", "authors": "authors",
    "score": "hotspot_score", "loc": "loc", "sloc": "sloc", "changed": "last_changed",
}
FUNCTION_SORTS = {
    "rank": "hotspot_rank", "path": "path", "name": "qualname", "complexity": "complexity",
    "changes": "changes", "score": "hotspot_score", "line": "lineno",
}


def window_key(window_days: int) -> str:
    """Return the query-string value of a window in days."""
    keys = {days: key for key, days in WINDOW_DAYS.items()}
    return keys.get(window_days, keys[DEFAULT_WINDOW])


def _clean_text(value: str) -> str:
    return clean_text(value).strip()


class RankingFilterForm(forms.Form):
    """Filters of the hotspot rankings; every value lives in the query string."""

    sorts: dict[str, str] = FILE_SORTS

    path = forms.CharField(
        required=False, max_length=1000, label="Path starts with",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. src/billing/", "autocomplete": "off"}),
    )
    min_score = forms.FloatField(
        required=False, min_value=0, max_value=100, label="Minimum score",
        widget=forms.NumberInput(attrs={"step": "any", "placeholder": "0–100", "inputmode": "decimal"}),
    )
    window = forms.ChoiceField(required=False, choices=WINDOW_CHOICES, label="Window")
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, default_window: int = DEFAULT_WINDOW, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_window = default_window
        self.fields["window"].initial = window_key(default_window)

    def clean_path(self) -> str:
        return _clean_text(self.cleaned_data["path"]).lstrip("/")

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"] or "rank"
        if sort.lstrip("-") not in self.sorts:
            raise forms.ValidationError("Unknown sort column.")
        return sort

    def filters(self) -> dict[str, Any]:
        """Return the valid filters (defaults where a value was invalid or missing)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        sort = data.get("sort") or "rank"
        if "sort" in self.errors:
            sort = "rank"
        field = self.sorts[sort.lstrip("-")]
        return {
            "path": data.get("path") or "",
            "min_score": data.get("min_score"),
            "window_days": WINDOW_DAYS.get(data.get("window") or "", self.default_window),
            "sort": sort,
            "ordering": ("-" if sort.startswith("-") else "") + field,
        }


class FunctionFilterForm(RankingFilterForm):
    """Filters of the function hotspot ranking."""

    sorts = FUNCTION_SORTS


# ------------------------------------------------------------------------------------------ debt register

IMPACT_CHOICES = (
    (1, "1 — minor"), (2, "2 — noticeable"), (3, "3 — significant"), (4, "4 — serious"), (5, "5 — severe"),
)
STATUS_FILTER_OPEN = "open"
STATUS_FILTER_ALL = "all"
MAX_IMPORT_BYTES = 10 * 1024 * 1024


def apply_service_error(form: forms.Form, error: Any, *, field_map: dict[str, str] | None = None) -> None:
    """Attach a service's DebtboardError to the form field it names (extra["field"]), else to the form."""
    field = (error.extra or {}).get("field", "")
    field = (field_map or {}).get(field, field)
    form.add_error(field if field in form.fields else None, error.message)


class OwnerField(forms.ModelChoiceField):
    """A user picked by username."""

    def label_from_instance(self, obj: Any) -> str:
        full_name = obj.get_full_name()
        return f"{obj.get_username()} ({full_name})" if full_name else obj.get_username()


class DebtItemForm(forms.Form):
    """The fields a person edits on a debt item; the debt service validates them again and decides."""

    title = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    description = forms.CharField(
        required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. What is wrong, what it costs, how to pay it off.",
    )
    kind = forms.ChoiceField()
    impact = forms.TypedChoiceField(choices=IMPACT_CHOICES, coerce=int, initial=3,
                                    help_text="How much the debt hurts when it bites.")
    effort = forms.DecimalField(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), max_digits=9,
                                decimal_places=2, initial=1, help_text="The principal: effort to pay it off.")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    owner = OwnerField(queryset=None, required=False, empty_label="Nobody yet")
    labels = forms.CharField(required=False, max_length=1100, help_text="Comma-separated, e.g. billing, py2-leftover.")
    external_url = forms.URLField(required=False, max_length=1000, assume_scheme="https",
                                  label="Issue-tracker URL", help_text="http or https.")
    external_id = forms.CharField(required=False, max_length=200, label="External id")

    def __init__(self, *args: Any, effort_unit: str = "hours", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["owner"].queryset = owner_queryset()
        self.fields["effort"].label = f"Effort ({effort_unit})"

    def clean_title(self) -> str:
        return _clean_text(self.cleaned_data["title"])

    def clean_description(self) -> str:
        return clean_text(self.cleaned_data["description"])

    def clean_labels(self) -> list[str]:
        return [part.strip() for part in _clean_text(self.cleaned_data["labels"]).split(",") if part.strip()]

    def item_fields(self) -> dict[str, Any]:
        """The cleaned values, named as the debt services take them."""
        data = self.cleaned_data
        return {name: data[name] for name in (
            "title", "description", "kind", "impact", "effort", "due_date", "owner", "labels", "external_url",
            "external_id",
        )}


class LocationFields(forms.Form):
    """A link from an item to code: a file or folder/, optionally a function or a line range."""

    path = forms.CharField(required=False, max_length=1000, help_text="A file, or a folder ending in '/'.",
                           widget=forms.TextInput(attrs={"autocomplete": "off", "class": "mono"}))
    function = forms.CharField(required=False, max_length=1000, label="Function or method",
                               help_text="Qualified name, e.g. Cart.add.")
    line_start = forms.IntegerField(required=False, min_value=1, max_value=10_000_000, label="From line")
    line_end = forms.IntegerField(required=False, min_value=1, max_value=10_000_000, label="To line")

    def clean_path(self) -> str:
        return _clean_text(self.cleaned_data["path"])

    def clean_function(self) -> str:
        return _clean_text(self.cleaned_data["function"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("path") and (data.get("function") or data.get("line_start")):
            self.add_error("path", "Give the file the function or lines are in.")
        start, end = data.get("line_start"), data.get("line_end")
        if start and end and end < start:
            self.add_error("line_end", f"The range ends before it starts (line {start}).")
        return data


LOCATION_FIELD_MAP = {"qualname": "function", "locations": "path"}


class DebtItemCreateForm(DebtItemForm, LocationFields):
    """Log a debt item in a repository, optionally linked to a file, a function or lines."""

    repository = forms.ChoiceField(label="Repository")
    status = forms.ChoiceField(choices=(("accepted", "Accepted into the register"), ("proposed", "Proposed")),
                               initial="accepted", label="Start as")

    field_order = ["repository", "title", "description", "kind", "impact", "effort", "path", "function",
                   "line_start", "line_end", "owner", "due_date", "labels", "external_url", "external_id", "status"]

    def __init__(self, *args: Any, repository_names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["repository"].choices = [(name, name) for name in repository_names]


class TransitionForm(forms.Form):
    """Move an item to another status; `expected_status` catches a move someone else made meanwhile."""

    to_status = forms.ChoiceField(label="Move to")
    expected_status = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = status_choices()
        self.fields["expected_status"].choices = [("", "")] + status_choices()


class CommentForm(forms.Form):
    """A Markdown comment."""

    body = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}), label="Comment",
                           help_text="Markdown.")

    def clean_body(self) -> str:
        body = clean_text(self.cleaned_data["body"]).strip()
        if not body:
            raise forms.ValidationError("A comment needs some text.")
        return body


class LinkForm(LocationFields):
    """Add a link to code on an item page."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("path") and "path" not in self.errors:
            self.add_error("path", "Give a file or a folder ending in '/'.")
        return data


def _text_filter(value: str | None) -> str | None:
    """A cleaned text filter, or None when it is empty."""
    return _clean_text(value or "") or None


def _statuses(status: str) -> list[str] | None:
    """The statuses a register status filter means (None: any status)."""
    if status == STATUS_FILTER_OPEN:
        return list(ACTIVE_STATUSES)
    return None if status == STATUS_FILTER_ALL else [status]


class DebtFilterForm(forms.Form):
    """Filters of the debt register, all in the query string."""

    SORTS = (("-priority", "Priority"), ("-interest", "Interest"), ("-impact", "Impact"), ("effort", "Effort"),
             ("due_date", "Due date"), ("-updated_at", "Recently updated"), ("-created_at", "Newest"),
             ("title", "Title"))

    repository = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(required=False)
    label = forms.ChoiceField(required=False)
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    path = forms.CharField(required=False, max_length=1000, label="Linked to path",
                           widget=forms.TextInput(attrs={"type": "search", "placeholder": "src/billing/"}))
    q = forms.CharField(required=False, max_length=200, label="Search",
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "words in title"}))
    sort = forms.ChoiceField(required=False, choices=SORTS)

    def __init__(self, *args: Any, repository_names: list[str], labels: list[str], owners: list[Any],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["repository"].choices = [("", "All repositories")] + [(name, name) for name in repository_names]
        self.fields["status"].choices = [
            (STATUS_FILTER_OPEN, "Open (accepted, planned, in progress)"), *status_choices(),
            (STATUS_FILTER_ALL, "Any status"),
        ]
        self.fields["kind"].choices = [("", "Any kind")] + kind_choices()
        self.fields["label"].choices = [("", "Any label")] + [(name, name) for name in labels]
        self.fields["owner"].choices = [("", "Anyone")] + [(user.pk, user.get_username()) for user in owners]

    def filters(self) -> dict[str, Any]:
        """Valid filters as debt_item_list arguments (invalid values fall back to no filter)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        status = data.get("status") or STATUS_FILTER_OPEN
        return {
            "repository": data.get("repository") or "",
            "status": _statuses(status),
            "status_key": status,
            "kind": data.get("kind") or None,
            "label": data.get("label") or None,
            "owner": data.get("owner"),
            "path": _text_filter(data.get("path")),
            "search": _text_filter(data.get("q")),
            "ordering": data.get("sort") or "-priority",
        }


class ImportForm(forms.Form):
    """Upload a CSV or JSON file of debt items."""

    file = forms.FileField(help_text="CSV or JSON as debtboard exports it; at most 10 MB.")
    format = forms.ChoiceField(choices=(("auto", "From the file name"), ("csv", "CSV"), ("json", "JSON")),
                               initial="auto")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_IMPORT_BYTES:
            self.add_error("file", f"The file is {upload.size // (1024 * 1024)} MB; the limit is 10 MB.")
        chosen = data.get("format") or "auto"
        if chosen == "auto":
            suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if suffix not in ("csv", "json"):
                self.add_error("format", "Choose CSV or JSON: the file name does not say.")
            chosen = suffix
        data["format"] = chosen
        return data


class MultipleIdsField(forms.Field):
    """A list of positive whole numbers from repeated query or form values (checkboxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, (list, tuple)) else ([value] if value else [])
        ids = []
        for raw in values:
            try:
                number = int(str(raw).strip())
            except ValueError:
                raise forms.ValidationError(f"{raw!r} is not an item number.") from None
            if number < 1:
                raise forms.ValidationError(f"{number} is not an item number.")
            ids.append(number)
        return ids

    def validate(self, value: list[int]) -> None:
        if self.required and not value:
            raise forms.ValidationError("Tick at least one proposal.", code="required")


class ProposalBulkForm(forms.Form):
    """Accept or dismiss the ticked proposals; ids no longer proposed are skipped by the service."""

    action = forms.ChoiceField(choices=(("accept", "Accept"), ("dismiss", "Dismiss")))
    ids = MultipleIdsField(label="Proposals")
    reason = forms.CharField(required=False, max_length=1000)


# ------------------------------------------------------------------------------------------ repository settings

# Help texts of the configuration keys that need one (docs/analysis.md and docs/scoring.md say more).
CONFIG_HELP = {
    "include": "Files analysed: one .gitignore-like glob per line, on repository-relative paths.",
    "exclude": "Files left out: one glob per line.",
    "flake8_select": "flake8 codes or prefixes checked, one per line.",
    "flake8_ignore": "flake8 codes or prefixes ignored, one per line.",
    "marker_tags": "Comment tags taken as self-admitted debt, one per line.",
    "bot_authors": "Globs on author name or email whose commits are not counted, one per line.",
    "max_file_bytes": "Bigger files are recorded as that file's error.",
    "file_timeout_seconds": "Slower files are recorded as that file's error.",
    "max_files_per_commit": "Mechanical commits touching more files are excluded from measures.",
    "half_life_days": "Days after which a change counts half in the change frequency; 0 (the default): no decay.",
    "window_days": "The window pages and debt discovery show first; every window is always computed.",
    "function_history_days": "Function changes are mapped from diffs over this many days.",
    "proposal_hotspot_top": "Debt discovery proposes at most this many hotspots per scan (0: none).",
    "proposal_hotspot_min_score": "A hotspot is proposed only from this score up (0-100, relative to this repository).",
    "proposal_island_top": "At most this many knowledge islands are proposed per scan (0: none).",
    "proposal_island_min_score": "A knowledge island is proposed only from this hotspot score up (0-100).",
}


class LinesField(forms.CharField):
    """A list of strings edited as one entry per line."""

    widget = forms.Textarea(attrs={"rows": 4, "class": "mono", "spellcheck": "false"})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, (list, tuple)) else value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


def _config_field(name: str, default: Any) -> forms.Field:
    """The form field of one RepositoryConfig key; ranges and rules are the service's to check."""
    label = name.replace("_", " ").capitalize()
    help_text = CONFIG_HELP.get(name, "")
    if name == "window_days":
        choices = [(days, Window(days).label) for days in WINDOWS]
        return forms.TypedChoiceField(choices=choices, coerce=int, label="Default window", help_text=help_text)
    if isinstance(default, tuple):
        return LinesField(required=False, label=label, help_text=help_text)
    if isinstance(default, bool):
        return forms.BooleanField(required=False, label=label, help_text=help_text)
    if isinstance(default, str):  # a word from a fixed set (lint_engine): the service checks it
        return forms.CharField(max_length=40, label=label, help_text=help_text)
    if isinstance(default, int):
        return forms.IntegerField(label=label, help_text=help_text)
    return forms.FloatField(label=label, help_text=help_text)


class RepositorySettingsForm(forms.Form):
    """A repository's default revision and configuration, as repository_update takes them."""

    default_revision = forms.CharField(
        max_length=255, help_text="The branch, tag or commit that scans analyse (HEAD: the default branch).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "mono"}),
    )
    effort_unit = forms.ChoiceField(
        choices=EffortUnit.choices, help_text="How this repository's debt items count effort (principal).",
    )

    def __init__(self, *args: Any, default_revision: str, effort_unit: str, config: RepositoryConfig,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = RepositoryConfig()
        self.initial.setdefault("default_revision", default_revision)
        self.initial.setdefault("effort_unit", effort_unit)
        for field in dataclass_fields(RepositoryConfig):
            self.fields[field.name] = _config_field(field.name, getattr(defaults, field.name))
            self.initial.setdefault(field.name, getattr(config, field.name))

    def config(self) -> dict[str, Any]:
        """The configuration to store: only the keys whose value differs from the default."""
        defaults = RepositoryConfig().as_json()
        values = {name: self.cleaned_data[name] for name in defaults}
        return {name: value for name, value in values.items() if value != defaults[name]}


class RepositoryDeleteForm(forms.Form):
    """Confirm deleting a repository by typing its name."""

    confirm = forms.CharField(max_length=100, label="Type the repository's name to confirm",
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args: Any, repository_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.repository_name = repository_name

    def clean_confirm(self) -> str:
        confirm = self.cleaned_data["confirm"].strip()
        if confirm != self.repository_name:
            raise forms.ValidationError(f"Type {self.repository_name} to delete it.")
        return confirm


# Teams and sprints (issue 12): the sprints services check ranges and permissions; these forms only parse.

SPRINT_LENGTH_CHOICES = [(weeks, f"{weeks} week{'s' if weeks > 1 else ''}") for weeks in range(1, 5)]
BUDGET_MODE_CHOICES = [("share", "A share of the team's capacity (%)"), ("fixed", "Fixed hours per sprint")]
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class TeamCreateForm(forms.Form):
    """A new team: name, cadence and the creator's own capacity (they become its first lead)."""

    name = forms.CharField(max_length=100)
    slug = forms.SlugField(max_length=60, required=False, help_text="Blank: made from the name.")
    first_day = forms.DateField(widget=DATE_INPUT, help_text="The first day of sprint 1.")
    length_weeks = forms.TypedChoiceField(choices=SPRINT_LENGTH_CHOICES, coerce=int, initial=2,
                                          label="Sprint length")
    lead_capacity_hours = forms.FloatField(initial=0, label="Your capacity per sprint (hours)")
    is_private = forms.BooleanField(required=False, label="Private (figures visible to members and staff only)")


class TeamSettingsForm(forms.Form):
    name = forms.CharField(max_length=100)
    is_private = forms.BooleanField(required=False, label="Private")
    overcommit_tolerance_percent = forms.FloatField(label="Over-commit tolerance (%)")
    underspend_share_percent = forms.FloatField(label="Under-spent below (% of the budget)")


class BudgetForm(forms.Form):
    """The debt budget per sprint."""

    mode = forms.ChoiceField(choices=BUDGET_MODE_CHOICES, label="Budget")
    share_percent = forms.FloatField(label="Share of capacity (%)")
    fixed_hours = forms.FloatField(label="Fixed hours per sprint")
    carry_over = forms.BooleanField(required=False, label="Carry unspent hours over to the next sprint")
    carry_cap_hours = forms.FloatField(label="Carry-over cap (hours)")


class CadenceForm(forms.Form):
    length_weeks = forms.TypedChoiceField(choices=SPRINT_LENGTH_CHOICES, coerce=int, label="Sprint length")
    sprints_ahead = forms.IntegerField(min_value=0, label="Sprints planned ahead")


class MemberAddForm(forms.Form):
    user = OwnerField(queryset=None, label="Person")
    capacity_hours = forms.FloatField(initial=0, label="Capacity per sprint (hours)")
    is_lead = forms.BooleanField(required=False, label="Lead")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = owner_queryset()

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"user_id": data["user"].pk, "capacity_hours": data["capacity_hours"], "is_lead": data["is_lead"]}


class MemberUpdateForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput)
    capacity_hours = forms.FloatField(label="Capacity (hours)")
    is_lead = forms.BooleanField(required=False, label="Lead")


class MemberRemoveForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput)


class AreaAddForm(forms.Form):
    repository_id = forms.TypedChoiceField(coerce=int, label="Repository")
    path_prefix = forms.CharField(max_length=1000, required=False, help_text="Blank: the whole repository.")
    codeowners_handle = forms.CharField(max_length=200, required=False, help_text="E.g. @acme/payments.")

    def __init__(self, *args: Any, repositories: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["repository_id"].choices = repositories


class AreaRemoveForm(forms.Form):
    area_id = forms.IntegerField(widget=forms.HiddenInput)


class EmptyForm(forms.Form):
    """A button that posts nothing but the CSRF token (generate sprints, delete the team)."""


class SprintEditForm(forms.Form):
    name = forms.CharField(max_length=100, required=False)
    end = forms.DateField(widget=DATE_INPUT, label="Last day", help_text="Move it earlier to shorten the sprint.")
    skipped = forms.BooleanField(required=False, label="Skipped (a holiday sprint: no budget, no alerts)")


class ItemIdsField(forms.Field):
    """Item ids posted as repeated `item` fields."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            ids = [int(v) for v in values]
        except (TypeError, ValueError):
            raise forms.ValidationError("Item ids are numbers.") from None
        if not ids:
            raise forms.ValidationError("Choose at least one item.")
        return ids[:500]


class ScheduleForm(forms.Form):
    """Schedule items into one of the sprints the user may schedule into ("team-slug:number")."""

    sprint = forms.ChoiceField(label="Sprint")
    item = ItemIdsField()

    def __init__(self, *args: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sprint"].choices = [(option.key, option.choice_label) for option in options]

    def sprint_key(self) -> tuple[str, int]:
        slug, number = self.cleaned_data["sprint"].rsplit(":", 1)
        return slug, int(number)


# Refactorathons (issue 13): the sprints services check dates, scope, hours, goals and permissions; these forms
# only parse what the pages post.

def _prefixes(value: str) -> list[str]:
    """Path prefixes typed one per line or separated by commas (blank: the whole repository)."""
    return [part.strip() for line in value.splitlines() for part in line.split(",") if part.strip()][:50]


class RefactorathonCreateForm(forms.Form):
    """A new event: name, dates, an optional team, and the scope (repositories narrowed to path prefixes)."""

    name = forms.CharField(max_length=100)
    start = forms.DateField(widget=DATE_INPUT, label="First day")
    end = forms.DateField(widget=DATE_INPUT, label="Last day")
    team = forms.ChoiceField(required=False, label="Team")
    repositories = forms.TypedMultipleChoiceField(coerce=int, label="Scope repositories",
                                                  widget=forms.SelectMultiple(attrs={"size": 4}))
    prefixes = forms.CharField(required=False, max_length=5000, label="Path prefixes",
                               widget=forms.Textarea(attrs={"rows": 2}),
                               help_text="One per line or comma-separated; blank: the whole repositories.")

    def __init__(self, *args: Any, repositories: list[tuple[int, str]], teams: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["repositories"].choices = repositories
        self.fields["team"].choices = [("", "No team"), *teams]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        prefixes = _prefixes(data["prefixes"])
        return {"name": data["name"], "start": data["start"], "end": data["end"],
                "scope": [(repository_id, prefixes) for repository_id in data["repositories"]]}


class CandidateFilterForm(forms.Form):
    """The planning page's candidate filters (GET): repository, path prefix, minimum value."""

    repository = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Repository")
    path = forms.CharField(required=False, max_length=1000, label="Path starts with")
    min_value = forms.FloatField(required=False, min_value=0, label="Min value")

    def __init__(self, *args: Any, repositories: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["repository"].choices = [("", "All"), *repositories]


class ParticipantAddForm(forms.Form):
    user = OwnerField(queryset=None, label="Person")
    hours = forms.FloatField(label="Hours for the event")
    areas = forms.CharField(required=False, max_length=2000, label="Areas they know",
                            help_text="Path prefixes, comma-separated.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = owner_queryset()

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"user_id": data["user"].pk, "hours": data["hours"], "areas": _prefixes(data["areas"])}


class ParticipantHoursForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput)
    hours = forms.FloatField(label="Hours")


class ParticipantRemoveForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput)


class GoalAddForm(forms.Form):
    kind = forms.ChoiceField(choices=GoalKind.choices, label="Goal")
    target = forms.FloatField(initial=0, label="Target")
    path = forms.CharField(required=False, max_length=1000, label="File or folder",
                           help_text="For hotspot goals only.")


class GoalRemoveForm(forms.Form):
    goal_id = forms.IntegerField(widget=forms.HiddenInput)


CHOICE_ACTIONS = {"pin": {"pinned": True}, "unpin": {"pinned": False}, "exclude": {"excluded": True},
                  "include": {"excluded": False}}


class ItemChoiceForm(forms.Form):
    """Pin, unpin, exclude or include one candidate."""

    item_id = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(key, key) for key in CHOICE_ACTIONS])

    def service_fields(self) -> dict[str, Any]:
        return {"item_id": self.cleaned_data["item_id"], **CHOICE_ACTIONS[self.cleaned_data["action"]]}


class PlanRunForm(forms.Form):
    """Plan or re-plan: the plan version the page showed (a newer one makes the save a conflict)."""

    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class AssignForm(forms.Form):
    item_id = forms.IntegerField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    assignee_id = forms.IntegerField(label="Assignee")


class HotspotAdoptForm(forms.Form):
    repository_id = forms.IntegerField(widget=forms.HiddenInput)
    path = forms.CharField(max_length=1000, widget=forms.HiddenInput)


class EventMoveForm(forms.Form):
    """A status move of the event: begin (scan the start), finish (scan the end), or a plain transition."""

    to_status = forms.ChoiceField(choices=[(s, s) for s in ("draft", "planned", "running", "finished", "reviewed")])


class SprintFillConfirmForm(forms.Form):
    """The proposal's items the user confirms for scheduling."""

    item = ItemIdsField()
