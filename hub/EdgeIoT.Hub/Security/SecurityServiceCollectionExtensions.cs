using Microsoft.AspNetCore.Authentication;

namespace EdgeIoT.Hub.Security;

/// <summary>Registers the operator authentication and marks routes that need it.</summary>
public static class SecurityServiceCollectionExtensions
{
    public const string OperatorPolicy = "operator";

    /// <summary>Adds the operator scheme and policy; the token comes from <paramref name="token"/>.</summary>
    public static IServiceCollection AddOperatorAuthentication(this IServiceCollection services, OperatorToken token)
    {
        services.AddSingleton(token);
        services.AddAuthentication(OperatorAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(OperatorAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, policy => policy.RequireAuthenticatedUser());
        return services;
    }

    /// <summary>Lets only an authenticated operator reach the endpoint.</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(OperatorPolicy);
}
