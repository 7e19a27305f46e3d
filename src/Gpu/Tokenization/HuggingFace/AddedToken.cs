namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// One entry of tokenizer.json's <c>added_tokens</c>: a string matched whole in the text before any other step and
/// given its own id (special tokens such as &lt;|begin_of_text|&gt; and &lt;|im_end|&gt;, and Qwen's &lt;think&gt;).
/// </summary>
/// <param name="Normalized">Matched in the normalized text rather than the raw text.</param>
/// <param name="LeftStrip">White space just before a match belongs to the token (and so disappears).</param>
/// <param name="RightStrip">White space just after a match belongs to the token.</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool Normalized, bool LeftStrip, bool RightStrip);
