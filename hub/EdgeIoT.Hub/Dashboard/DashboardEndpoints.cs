using System.Reflection;
using EdgeIoT.Hub.Forecast;
using EdgeIoT.Hub.Security;

namespace EdgeIoT.Hub.Dashboard;

/// <summary>
/// The operator dashboard: the page and its script and style from the assembly, its JSON data,
/// the capacity forecast and the Prometheus scrape endpoint.
/// </summary>
public static class DashboardEndpoints
{
    public const string MetricsPath = "/metrics";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    public static void MapDashboardEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Routing ignores a trailing slash, so this serves /dashboard/ as well.
        app.MapGet("/", () => Results.Redirect("/dashboard")).RequireOperator();
        app.MapGet("/dashboard", () => Asset("index.html")).RequireOperator();
        app.MapGet("/dashboard/{file}", (string file) => Asset(file)).RequireOperator();
        app.MapGet("/api/dashboard", (DashboardService dashboard) => dashboard.Build()).RequireOperator();
        app.MapGet("/api/forecast", GetForecast).RequireOperator();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
    }

    private static IResult GetForecast(ForecastService forecast)
    {
        ForecastReport? report = forecast.Current();
        return report is null
            ? Results.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No forecast",
                detail: "The forecast needs the door times: set Hub:Forecast:DoorsOpen and Hub:Forecast:DoorsClose.")
            : Results.Ok(report);
    }

    private static IResult Asset(string file)
    {
        if (!ContentTypes.TryGetValue(file, out string? contentType))
        {
            return Results.NotFound();
        }

        Stream? stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("dashboard/" + file);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
