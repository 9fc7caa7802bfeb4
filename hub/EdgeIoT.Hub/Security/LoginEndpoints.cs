using System.Net;

namespace EdgeIoT.Hub.Security;

/// <summary>
/// GET /login shows a form for the operator token, POST /login checks it and sets the HttpOnly
/// dashboard cookie, and POST /logout removes the cookie.
/// </summary>
public static class LoginEndpoints
{
    public const string LoginPath = "/login";

    private const string DefaultReturnUrl = "/dashboard";

    public static void MapLoginEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(LoginPath, (string? returnUrl) => Page(LocalOrDefault(returnUrl), error: null, StatusCodes.Status200OK));
        routes.MapPost(LoginPath, LoginAsync);
        routes.MapPost("/logout", (HttpContext context) =>
        {
            context.Response.Cookies.Delete(OperatorAuthenticationHandler.CookieName, CookieOptions(context));
            return Results.Redirect(LoginPath);
        });
    }

    // The form is read by hand because [FromForm] binding would require antiforgery tokens. A
    // forged login can only log the browser in with a token its attacker already has.
    private static async Task<IResult> LoginAsync(HttpContext context, OperatorToken token, ILoggerFactory loggers)
    {
        IFormCollection form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : FormCollection.Empty;
        string returnUrl = LocalOrDefault(form["returnUrl"]);
        if (!token.Matches(form["token"].ToString().Trim()))
        {
            loggers.CreateLogger(typeof(LoginEndpoints)).LogWarning(
                2001, "Dashboard login from {RemoteAddress} failed: the token does not match", context.Connection.RemoteIpAddress);
            return Page(returnUrl, "That is not this hub's operator token.", StatusCodes.Status401Unauthorized);
        }

        context.Response.Cookies.Append(OperatorAuthenticationHandler.CookieName, token.CookieValue, CookieOptions(context));
        return Results.Redirect(returnUrl);
    }

    private static CookieOptions CookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
    };

    // Only a path on this hub, so the login cannot be used to send the browser elsewhere.
    private static string LocalOrDefault(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : DefaultReturnUrl;

    private static IResult Page(string returnUrl, string? error, int statusCode)
    {
        string message = error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        string html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>EdgeIoT hub: log in</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem; }
            input[type=password] { width: 100%; padding: .5rem; font: inherit; }
            button { margin-top: 1rem; padding: .5rem 1.5rem; font: inherit; }
            .error { color: #b00020; }
            </style>
            </head>
            <body>
            <h1>EdgeIoT hub</h1>
            <p>Enter the operator token from <code>operator-token</code> in the hub's data directory.</p>
            {{message}}
            <form method="post" action="{{LoginPath}}">
            <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
            <label for="token">Operator token</label>
            <input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
            <button type="submit">Log in</button>
            </form>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);
    }
}
