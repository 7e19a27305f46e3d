namespace RecurrentKif.Gpu.Pretraining;

/// <summary>
/// Writes a model folder through "&lt;folder&gt;.partial" and moves it into place only when complete, replacing what was
/// there: a build or copy cut short never leaves a folder that looks finished.
/// </summary>
public static class StagedModelFolder
{
    public static void Write(string folder, Action<string> fillStaging)
    {
        string staging = folder + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        fillStaging(staging);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
    }
}
