"""The embedding model: the ONNX export gives the same vectors as the original PyTorch weights."""

import numpy as np
import pytest

from newsbrief.embed import DIMENSION, Embedder, _weights_dir, embed, export_onnx

SENTENCES = [
    "Iran offers to train Iraqi forces.",
    "The United States and Iran traded accusations over the bloodshed in Iraq on Monday during the "
    "first high-level direct official talks between the arch-foes in 27 years.",
    "ok",
]


def test_vectors_are_unit_length_and_order_preserving():
    v = embed(SENTENCES)
    assert v.shape == (3, DIMENSION)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.allclose(embed(SENTENCES[::-1])[::-1], v, atol=1e-5)
    assert embed([]).shape == (0, DIMENSION)


def test_fresh_export_matches_pytorch(tmp_path):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    model_file = export_onnx(tmp_path / "minilm.onnx")
    onnx_vectors = Embedder(model_file)(SENTENCES)

    bert = transformers.AutoModel.from_pretrained(str(_weights_dir()), local_files_only=True).eval()
    tok = Embedder(model_file).tokenizer
    enc = tok.encode_batch(SENTENCES)
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    with torch.no_grad():
        hidden = bert(input_ids=ids, attention_mask=mask).last_hidden_state
    pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    reference = torch.nn.functional.normalize(pooled, dim=1).numpy()
    assert np.min((onnx_vectors * reference).sum(1)) > 0.9999
