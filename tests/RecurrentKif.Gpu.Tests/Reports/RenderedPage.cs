using System.Xml.Linq;
using RecurrentKif.Gpu.Reports;

namespace RecurrentKif.Gpu.Tests.Reports;

/// <summary>
/// A rendered report parsed as XML, with look-ups by element name and class. Parsing is itself a check: a page
/// with an unclosed &lt;svg&gt; or a stray '&lt;' from data throws here.
/// </summary>
internal sealed class RenderedPage
{
    public string Html { get; }
    public XElement Root { get; }

    public RenderedPage(RunReportData data)
    {
        Html = HtmlReportWriter.Render(data);
        const string doctype = "<!DOCTYPE html>";
        Assert.StartsWith(doctype, Html);
        Root = XDocument.Parse(Html[doctype.Length..]).Root!;
    }

    public IEnumerable<XElement> Elements(string name) => Root.Descendants().Where(e => e.Name.LocalName == name);

    public IEnumerable<XElement> WithClass(string name, string cssClass) =>
        Elements(name).Where(e => ((string?)e.Attribute("class") ?? "").Split(' ').Contains(cssClass));

    public XElement ById(string id) => Root.Descendants().Single(e => (string?)e.Attribute("id") == id);

    /// <summary>An element's own text without the text of its &lt;title&gt; tooltips.</summary>
    public static string VisibleText(XElement element) =>
        string.Concat(element.DescendantNodes().OfType<XText>().Where(t => t.Parent?.Name.LocalName != "title").Select(t => t.Value));
}
