using System.Text.Json;

namespace EdgeIoT.Hub.Reporting;

/// <summary>JSON settings of report.json: camelCase names, indented for reading.</summary>
internal static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
