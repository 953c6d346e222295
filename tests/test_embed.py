"""The embedding model: the ONNX export gives the same vectors as the original PyTorch weights."""

import numpy as np
import pytest

from newsbrief.embed import DIMENSION, Embedder, _weights_dir, embed, export_onnx, quantize

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
    # a sentence's vector does not depend on what else is embedded with it
    assert np.allclose(embed(SENTENCES[1:2])[0], v[1], atol=1e-6)


def test_fresh_export_matches_pytorch(tmp_path):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    model_file = export_onnx(tmp_path / "minilm.onnx")
    onnx_vectors = Embedder(model_file)(SENTENCES)

    bert = transformers.AutoModel.from_pretrained(str(_weights_dir()), local_files_only=True).eval()
    tok = Embedder(model_file).tokenizer
    tok.enable_padding()  # the reference runs one padded batch; the embedder runs sentences one by one
    enc = tok.encode_batch(SENTENCES)
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    with torch.no_grad():
        hidden = bert(input_ids=ids, attention_mask=mask).last_hidden_state
    pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    reference = torch.nn.functional.normalize(pooled, dim=1).numpy()
    assert np.min((onnx_vectors * reference).sum(1)) > 0.9999


def test_int8_model_keeps_the_float_models_similarities(tmp_path):
    pytest.importorskip("onnx")
    sentences = SENTENCES[:2] + [
        "US forces are holding five Iranians detained in Iraq.",
        "Iran says the five are diplomats who were legally in Iraq.",
        "The negotiations today were an important first step between the two sides.",
        "Kazemi Qomi described the meeting as positive.",
    ]
    float_file = export_onnx(tmp_path / "minilm.onnx")
    exact = Embedder(float_file)(sentences)
    int8 = Embedder(quantize(float_file, tmp_path / "minilm.int8.onnx"))(sentences)
    assert np.min((exact * int8).sum(1)) > 0.98
    # what the pipeline thresholds (claims at 0.7) is the pairwise cosine
    assert np.abs(exact @ exact.T - int8 @ int8.T).max() < 0.05
