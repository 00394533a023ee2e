"""Knowledge about grouped rows (HPL411): column names that identify an entity whose rows repeat
(several scans per patient, sessions per user), the words that say a frame's rows are records of
such an entity, and the pandas calls that show a key repeats, is unique, or is used to split.

A column name is compared in its normalized form: lower case, without `_`, `-`, `.`, spaces
(`Patient_ID`, `patientId`, `Patient.ID` -> `patientid`)."""

from __future__ import annotations

# Normalized column name -> (the entity it identifies, named in messages: "rows of one patient";
# the evidence of repeated rows it needs). Evidence kinds: "rowwise" (a row-preserving
# `groupby(key)`), "count" (`value_counts()` of the key, `groupby(key).size()` shown),
# "name" (the frame or its file named for records: `scans`, `sessions.csv`).
# - ids of entities that nearly always have several rows in a modelling table (patients, subjects
#   of a study, donors) accept any evidence;
# - ids that are as often one row per entity (users, customers: Telco churn's `customerID`,
#   `CustomerId` of bank churn tables) are not shown to repeat by a count, which is as often a
#   uniqueness check: they need a row-preserving groupby or a record name;
# - bare words that are also ordinary categories (`group`, `subject` of a news article or email,
#   `speaker` of a statement, `user` of a post) need a record name.
# Left out on purpose: ids that are per row in most datasets (`id`, `passengerid`, `rowid`,
# `sampleid`, `imageid`, `orderid`, `transactionid`), and product/item ids (rows per item are
# usually a recommender's interactions, where a row split is the intended protocol).
_ANY = frozenset({"rowwise", "count", "name"})
_GROUPED = frozenset({"rowwise", "name"})
_NAMED = frozenset({"name"})
GROUP_KEYS: dict[str, tuple[str, frozenset[str]]] = {
    "patientid": ("patient", _ANY),
    "patient": ("patient", _ANY),
    "patientnumber": ("patient", _ANY),
    "patid": ("patient", _ANY),
    "patno": ("patient", _ANY),  # PPMI's patient number
    "subjectid": ("subject", _ANY),
    "participantid": ("participant", _ANY),
    "speakerid": ("speaker", _ANY),
    "donorid": ("donor", _ANY),
    "animalid": ("animal", _ANY),
    "mouseid": ("mouse", _ANY),
    "userid": ("user", _GROUPED),
    "customerid": ("customer", _GROUPED),
    "clientid": ("client", _GROUPED),
    "sessionid": ("session", _GROUPED),
    "groupid": ("group", _GROUPED),
    "householdid": ("household", _GROUPED),
    "familyid": ("family", _GROUPED),
    "personid": ("person", _GROUPED),
    "individualid": ("individual", _GROUPED),
    "driverid": ("driver", _GROUPED),
    "visitorid": ("visitor", _GROUPED),
    "studentid": ("student", _GROUPED),
    "accountid": ("account", _GROUPED),
    "memberid": ("member", _GROUPED),
    "subject": ("subject", _NAMED),
    "subj": ("subject", _NAMED),
    "participant": ("participant", _NAMED),
    "speaker": ("speaker", _NAMED),
    "user": ("user", _NAMED),
    "group": ("group", _NAMED),
}

# Words (in a frame's variable name, a parameter's name or the path it was read from) that say its
# rows are records of a repeated entity: `scans`, `sessions.csv`, `df_visits`. Plurals, and three
# singulars (`scan`, `visit`, `session`): other singulars are common names of other things
# (`order = rng.permutation(n)`, `history = model.fit(...)`, `window`, `epoch`).
RECORD_WORDS = frozenset({
    "scan", "visit", "session",
    "scans", "images", "imgs", "visits", "sessions", "events", "clicks", "logs", "transactions",
    "measurements", "readings", "recordings", "trials", "epochs", "windows", "segments", "slices",
    "admissions", "encounters", "exams", "purchases", "interactions", "utterances", "clips", "slides",
    "patches", "tiles", "beats", "activities", "histories", "orders", "notes", "studies", "frames",
    "sensors", "signals", "vitals", "labs",
})

# `df.groupby(key).<method>()` with one of these keeps one row per input row: the key repeats.
ROWWISE_GROUP_METHODS = frozenset({
    "transform", "shift", "cumcount", "cumsum", "cumprod", "cummax", "cummin", "rolling", "expanding",
    "diff", "rank", "pct_change", "ffill", "bfill", "fillna", "ewm",
})
# `df.groupby(key).<method>()` with one of these makes one row per key: a per-key table.
AGGREGATE_GROUP_METHODS = frozenset({
    "agg", "aggregate", "mean", "sum", "count", "size", "min", "max", "median", "std", "var", "first",
    "last", "nunique", "apply", "describe", "prod", "sem", "quantile", "nth", "head", "tail", "mode",
})
# `df[key].<method>()`: the code counts rows per key (evidence that it repeats). Not `nunique()`:
# on an id column it is as often the check that ids are unique per row (synthetic medical tables
# with one row per `Patient_ID` are common).
COUNT_METHODS = frozenset({"value_counts"})
# `df[key].<method>()`, `np.unique(df[key])`, `df.drop_duplicates(key)`: unique keys, one row per
# key, or rows picked by key membership: the code handles the groups itself.
UNIQUE_METHODS = frozenset({"unique", "drop_duplicates", "isin"})
UNIQUE_FUNCTIONS = frozenset({"numpy.unique", "pandas.unique"})
# Methods that remove a column given by name (`drop(columns=...)`, `pop(...)`).
DROP_METHODS = frozenset({"drop", "pop"})

# Splitters that cut rows without looking at groups (qualified names after normalization).
ROW_SPLITTERS = frozenset({
    "sklearn.model_selection.KFold",
    "sklearn.model_selection.StratifiedKFold",
    "sklearn.model_selection.RepeatedKFold",
    "sklearn.model_selection.RepeatedStratifiedKFold",
    "sklearn.model_selection.ShuffleSplit",
    "sklearn.model_selection.StratifiedShuffleSplit",
    "sklearn.model_selection.LeaveOneOut",
    "sklearn.model_selection.LeavePOut",
})
# Keywords that give a split or a cross-validation the groups.
GROUP_KEYWORDS = frozenset({"groups", "group"})
