using System.Text;
using RecurrentKif.Gpu.Continual;
using static RecurrentKif.Gpu.Reports.HtmlText;

namespace RecurrentKif.Gpu.Reports;

/// <summary>How training each task went, one row per task; tasks a running job has not reached yet are listed as pending.</summary>
internal static class TaskStatsTable
{
    public static void Append(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"tasks\"><h2>Training per task</h2><div class=\"scroll\"><table class=\"numbers\"><thead><tr>")
            .Append("<th scope=\"col\">#</th><th scope=\"col\" class=\"text\">task</th><th scope=\"col\">steps</th><th scope=\"col\">outer steps</th>")
            .Append("<th scope=\"col\">fusions</th><th scope=\"col\">best val. loss</th><th scope=\"col\">last val. loss</th>")
            .Append("<th scope=\"col\" title=\"teacher-forced accuracy of the first answer token at the last validation\">val. first-token acc.</th>")
            .Append("<th scope=\"col\">selected step</th><th scope=\"col\">time</th><th scope=\"col\">tokens/s</th></tr></thead><tbody>");
        for (int i = 0; i < data.Tasks.Count; i++)
        {
            TaskTrainingStats t = data.Tasks[i];
            html.Append($"<tr><td>{i + 1}</td><th scope=\"row\">{Escape(t.Task)}</th><td>{Integer(t.InnerSteps)}</td>")
                .Append($"<td>{Integer(t.OuterSteps)}</td><td>{Integer(t.Fusions)}</td>")
                .Append($"<td>{Number(t.BestValidationLoss, "F4")}</td><td>{Number(t.LastValidationLoss, "F4")}</td>")
                .Append($"<td>{Percent(t.LastFirstTokenAccuracy)}</td>")
                .Append($"<td>{Integer(t.SelectedStep)}</td><td>{Escape(Duration(t.Seconds))}</td>")
                .Append($"<td>{TokensPerSecond(t)}</td></tr>");
        }
        var names = data.Report.TaskNames;
        for (int i = data.Tasks.Count; i < names.Count; i++)
            html.Append($"<tr class=\"pending\"><td>{i + 1}</td><th scope=\"row\">{Escape(names[i])}</th><td colspan=\"9\">not trained yet</td></tr>");
        html.Append("</tbody></table></div></section>");
    }

    private static string TokensPerSecond(TaskTrainingStats t) =>
        t.Seconds > 0 && double.IsFinite(t.Seconds) ? Number(t.TrainingTokens / t.Seconds, "N0") : Missing;
}
