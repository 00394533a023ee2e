"""Selection: picks of a best candidate (`argmax(scores)`, `if score > best:`) recorded while
interpreting, and the selection loops built from them at the end."""

from __future__ import annotations

import libcst as cst

from hplint.analysis.events import SelectionLoop, models_scored
from hplint.analysis.frames import Frame
from hplint.analysis.syntax import (
    assigns,
    candidate_loop,
    comparison_sides,
    find_save,
    keeps_result,
    names_in,
    scope_is,
)


class PickRecorder:
    """The selection half of the interpreter (mixed into `_Interpreter`)."""

    # -- selection ------------------------------------------------------------------------------------
    def _record_pick(self, node: cst.CSTNode, scores: frozenset, frame: Frame) -> None:
        # The winner must be kept (`best = params[np.argmax(scores)]`, `return ...`): an argmax
        # only printed or drawn on a plot selects nothing.
        site = self._site(node) if isinstance(node, cst.Call) else None
        statement = site.statement if site is not None else None
        if not isinstance(statement, cst.SimpleStatementLine) or not any(keeps_result(small) for small in statement.body):
            return
        self._picks.append((node, scores, self._loops_of_node(node, frame), frame.sites))

    def _loops_of_node(self, node, frame) -> tuple:
        if isinstance(node, cst.Call):
            return self._loops(node, frame)
        return ()

    def _record_compare_pick(self, statement: cst.If, frame: Frame) -> None:
        scores = frozenset()
        test = statement.test
        for side in comparison_sides(test):
            value = self.flow.values.get(side)
            if value is not None:
                scores |= value.scores
        checkpoint = find_save(statement.body)
        # `if score > best: best_params = ...`: the branch records the winner (or saves it).
        if not scores or (checkpoint is None and not assigns(statement.body)):
            return
        self._picks.append((statement, scores, (), frame.sites))
        if checkpoint is not None:
            self._checkpoint_nodes.append((statement, checkpoint))

    def _build_selection_loops(self) -> None:
        loops: dict[cst.CSTNode, SelectionLoop] = {}
        checkpoints = dict(self._checkpoint_nodes)
        order = {event: index for index, event in enumerate(self._eval_keys.values())}
        for pick, scores, _, _ in self._picks:
            unlooped = []
            for event in sorted(scores, key=lambda e: order.get(e, -1)):
                loop = candidate_loop(event.loops, pick) if event.loops else None
                if loop is None:
                    unlooped.append(event)
                    continue
                selection = loops.get(loop)
                if selection is None:
                    selection = loops[loop] = SelectionLoop(loop, self._loop_kind(loop), [], pick,
                                                            checkpoints.get(pick))
                if event not in selection.evaluations:
                    selection.evaluations.append(event)
                if selection.checkpoint is None and pick in checkpoints:
                    selection.checkpoint = checkpoints[pick]
            # No loop, but the scores of several models decide (`if forest_acc > logistic_acc:
            # best = forest`, `max(scores, key=scores.get)` over a dict written out): a selection
            # among models whose candidates are the scores themselves.
            if len({id(model) for event in unlooped for model in models_scored(event)}) >= 2 \
                    and pick not in loops:
                loops[pick] = SelectionLoop(pick, "model", unlooped, pick, checkpoints.get(pick))
        for loop, selection in loops.items():
            selection.fits = [f for f in self._fit_keys.values() if loop in f.loops]
        objectives = []
        for name in self._objectives:
            summary = self.flow.functions.get(name)
            if summary is None:
                continue
            function = summary.node
            evaluations = [e for e in self._eval_keys.values() if scope_is(e.scope, function)]
            fits = [f for f in self._fit_keys.values() if scope_is(f.scope, function)]
            if evaluations:
                objectives.append(SelectionLoop(function, "objective", evaluations, None, None, fits))
        self.flow.selection_loops = list(loops.values()) + objectives

    def _loop_kind(self, loop: cst.CSTNode) -> str:
        target = loop.target if isinstance(loop, (cst.For, cst.CompFor)) else None
        names = names_in(target) if target is not None else set()
        iterable = loop.iter if isinstance(loop, (cst.For, cst.CompFor)) else None
        iter_value = self.flow.values.get(iterable) if iterable is not None else None
        if iter_value is not None and iter_value.items and any(i.obj is not None for i in iter_value.items):
            return "model"
        for fit in self._fit_keys.values():
            constructor = fit.obj.node if fit.obj is not None else None
            if loop in fit.loops and isinstance(constructor, cst.Call) and names & names_in(constructor):
                return "hyperparameter"
        body_calls = [s for s in self.semantic.calls if loop in s.loops]
        for site in body_calls:
            if site.api is not None and site.api.role in ("estimator", "preprocessor", "feature_selector",
                                                          "pipeline", "model", "search", "resampler"):
                for arg in site.node.args:
                    if names & names_in(arg.value):
                        return "hyperparameter"
            if site.method in ("set_params",) and any(names & names_in(a.value) for a in site.node.args):
                return "hyperparameter"
            if site.method in ("step", "backward", "zero_grad"):
                return "epoch"
        if names and any(n.lower() in ("epoch", "epochs", "ep", "e", "i_epoch") for n in names):
            return "epoch"
        return "other"
