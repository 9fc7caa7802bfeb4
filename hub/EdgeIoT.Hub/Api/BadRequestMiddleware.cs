namespace EdgeIoT.Hub.Api;

/// <summary>
/// Turns request bodies that cannot be bound (invalid JSON, a missing body) into problem
/// responses that state the parser's message, instead of an empty 400.
/// </summary>
public static partial class BadRequestMiddleware
{
    public static void UseBadRequestProblems(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BadRequestMiddleware));
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
            {
                LogBadRequest(logger, context.Request.Method, context.Request.Path, exception.Message);
                IResult problem = Results.Problem(
                    $"{exception.Message} Send a JSON body as described in docs/hub.md.", statusCode: exception.StatusCode);
                await problem.ExecuteAsync(context).ConfigureAwait(false);
            }
        });
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "Rejected {Method} {Path}: {Problem}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, string problem);
}
