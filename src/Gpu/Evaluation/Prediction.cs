namespace RecurrentKif.Gpu.Evaluation;

/// <summary>One evaluated example: its id, the gold label and what the model generated.</summary>
public sealed record Prediction(string Id, string Gold, string Predicted)
{
    public bool Correct => ExactMatch.Matches(Predicted, Gold);
}
