using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EdgeIoT.Hub.Security;

/// <summary>
/// Authenticates the operator by the bearer token in the Authorization header or by the cookie
/// the login page sets. An unauthenticated page request is sent to the login page, and an API
/// request gets 401 with a problem body.
/// </summary>
public sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OperatorToken token)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Operator";
    public const string CookieName = "edgeiot_operator";

    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? authorization = Request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(token.Matches(authorization[BearerPrefix.Length..].Trim())
                ? Success("bearer")
                : AuthenticateResult.Fail("The bearer token is not the hub's operator token."));
        }

        if (Request.Cookies.TryGetValue(CookieName, out string? cookie))
        {
            return Task.FromResult(token.MatchesCookie(cookie)
                ? Success("cookie")
                : AuthenticateResult.Fail("The dashboard cookie is not valid for this hub; log in again."));
        }

        return Task.FromResult(AuthenticateResult.NoResult());
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (IsPageRequest(Request.Path))
        {
            Response.Redirect(LoginEndpoints.LoginPath + "?returnUrl=" + Uri.EscapeDataString(Request.PathBase + Request.Path + Request.QueryString));
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer realm=\"edgeiot-hub\"";
        await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Operator token required",
                detail: $"{Request.Method} {Request.Path} needs the hub's operator token: send 'Authorization: Bearer TOKEN' "
                    + $"with the token from {{DataDirectory}}/{OperatorToken.FileName}, or log in at {LoginEndpoints.LoginPath}.")
            .ExecuteAsync(Context);
    }

    private static bool IsPageRequest(PathString path) =>
        path == "/" || path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase);

    private static AuthenticateResult Success(string method)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim("method", method)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
