namespace EdgeIoT.Hub.Api;

/// <summary>RFC 9457 problem responses with one readable sentence as the detail.</summary>
internal static class Problems
{
    public static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status409Conflict);

    public static IResult Gone(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status410Gone);

    public static IResult Unauthorized(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized);

    public static IResult TooManyRequests(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests);
}
