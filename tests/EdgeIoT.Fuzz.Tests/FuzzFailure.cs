namespace EdgeIoT.Fuzz.Tests;

/// <summary>A parser misbehaved on an input; the message carries the input so it can be replayed.</summary>
internal sealed class FuzzFailure(string problem, byte[] input, Exception? cause)
    : Exception($"{problem}{Environment.NewLine}Input ({input.Length} bytes): {Show(input)}", cause)
{
    private static string Show(byte[] input) =>
        input.Length <= 512 ? Convert.ToHexString(input) : Convert.ToHexString(input, 0, 512) + "...";
}
