"""Feature selection written without a selector: each column scored against the label
(`df.corr()["price"]`, `df.corrwith(df["y"])`, `df["a"].corr(df["y"])`) and the columns whose
scores pass a threshold picked out of the data (`df[features]`, `X[:, keep]`). The scoring is a
`FitEvent` of role "feature_selector" on the scored rows; it enters `DataFlow.fits` when its
result picks columns of data, so a correlation only printed or plotted is no fit at all.
`F, p = f_classif(X, y)` is a function form in the knowledge base (fitted where it is called),
whose scores pick columns the same way. Mixed into `_Interpreter` (see `transfer.CallTransfer`)."""

from __future__ import annotations

import libcst as cst

from hplint.analysis.events import FitEvent
from hplint.analysis.frames import Frame
from hplint.analysis.lineage import UNKNOWN, Value
from hplint.analysis.syntax import node_text, row_slice
from hplint.analysis.values import literal_value
from hplint.knowledge.dataops import INDEX_CARRIED_ROLES, LABEL_SCORING_METHODS

# Unregistered events: a correlation matrix until one column of it (the label's) is taken, and
# scores put in order (`argsort`, `sort_values`) until a bounded slice or `head` chooses some.
_MATRIX, _RANKING = "correlation_matrix", "feature_ranking"


class LabelScoreTransfer:
    """Correlation scores as feature selection (mixed into `_Interpreter`)."""

    def _label_scores(self, node: cst.Call, method: str, receiver: Value, positional, positional_nodes,
                      frame: Frame) -> Value | None:
        """`df.corr()` (a matrix: a selection once a column is taken), `df.corrwith(y)` and
        `s.corr(y)` (scores against the label given)."""
        form = LABEL_SCORING_METHODS.get(method)
        if form is None or receiver.obj is not None or receiver.literal \
                or not (receiver.sources or receiver.kind != UNKNOWN):
            return None
        against = positional_nodes[0] if positional_nodes and not positional[0].literal else None
        texts = (node_text(node.func.value),)
        if form == "argument" or against is not None:
            if against is None:
                return None
            event = self._scoring_event(node, method, "feature_selector", receiver, texts, frame)
            return receiver.with_(fits=receiver.fits | {event}, items=None, literal=False, statistic=None)
        # The matrix itself (not what `.where(...).stack()` makes of it) has the label's column.
        matrix = receiver.with_(items=None, literal=False, statistic=None)
        self._matrices[id(matrix)] = (matrix, self._scoring_event(node, method, _MATRIX, receiver, texts, frame))
        return matrix

    def _label_column(self, node: cst.Subscript, base: Value, index_values, frame: Frame) -> Value | None:
        """`corr["price"]`: one column of a correlation matrix, the scores against that label."""
        entry = self._matrices.get(id(base))
        if entry is None or entry[0] is not base or len(index_values) != 1 \
                or not isinstance(literal_value(index_values[0][0]), str):
            return None
        matrix = entry[1]
        event = self._scoring_event(node, matrix.method, "feature_selector", matrix.data[0], matrix.data_text,
                                    frame)
        return base.with_(fits=base.fits | {event}, items=None, split_dict=False, literal=False)

    def _ranked(self, node: cst.Call, scores: Value, frame: Frame) -> Value | None:
        """`np.argsort(F)`, `corr.sort_values()`: the columns in order of their scores, none chosen
        yet (`df.iloc[:, order]` keeps every column)."""
        selections = [f for f in scores.fits if f.role in INDEX_CARRIED_ROLES]
        if not selections:
            return None
        ranking = self._statistic_event(node, "rank", _RANKING, scores, (), frame)
        self._rankings[ranking] = selections[0]
        return scores.with_(fits=(scores.fits - set(selections)) | {ranking}, items=None, literal=False,
                            statistic=None)

    def _chosen(self, node: cst.Subscript | cst.Call, base: Value) -> Value | None:
        """`order[-20:]`, `ranked.head(10)`: some of the ranked columns chosen, a selection again."""
        rankings = [f for f in base.fits if f in self._rankings]
        if not rankings:
            return None
        if isinstance(node, cst.Subscript):
            parsed = row_slice(node)
            if parsed is None or (parsed[2] is None and parsed[3] is None):
                return None
        return base.with_(fits=(base.fits - set(rankings)) | {self._rankings[r] for r in rankings},
                          items=None, literal=False, statistic=None)

    def _selected_columns(self, base: Value, index_values, frame: Frame) -> frozenset:
        """Selections among the index's learned state, entered into the data flow's fits now that
        they pick columns of `base` (data that does not already carry them)."""
        carried = frozenset(f for _, index in index_values for f in index.fits
                            if f.role in INDEX_CARRIED_ROLES and f not in base.fits)
        for event in carried:
            if event in self._pending_selections:
                self._pending_selections.discard(event)
                self._fit_keys[self._key(event.node, frame)] = event
        return carried

    def _scoring_event(self, node, method: str, role: str, data: Value, texts, frame: Frame) -> FitEvent:
        event = self._statistic_event(node, method, role, data, texts, frame)
        if role != _MATRIX and self._key(node, frame) not in self._fit_keys:
            self._pending_selections.add(event)
        return event
