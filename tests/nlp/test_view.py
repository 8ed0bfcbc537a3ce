"""The per-Doc arrays every extractor shares."""

from __future__ import annotations

from newsevents.tasks.nlp.view import doc_view


def test_sentences_and_offsets(nlp):
    doc = nlp("Police arrested two men. The U.S. embassy said so.\n\nA third was freed.")
    view = doc_view(doc)
    assert view is doc_view(doc)  # built once per Doc
    assert view.text == doc.text
    assert [view.sentence(k).text for k in range(len(view.sent_starts))] == [s.text for s in doc.sents]
    for tok in doc:
        assert (
            view.sentence(view.sentence_of(tok.i)).start <= tok.i < view.sentence(view.sentence_of(tok.i)).end
        )
        assert int(view.sent_of[tok.i]) == view.sentence_of(tok.i)
        assert view.token_at(tok.idx) == tok.i
    assert view.first_token_from(doc[3].idx) == 3


def test_empty_doc(nlp):
    view = doc_view(nlp(""))
    assert view.text == "" and view.token_starts == [] and list(view.sent_starts) == [0]
