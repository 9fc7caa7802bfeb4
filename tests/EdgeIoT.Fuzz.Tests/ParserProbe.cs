using System.Diagnostics;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// Feeds one input to a parser and turns the three failures fuzzing looks for into a test
/// failure that shows the input: an exception the parser does not document, a hang, and an
/// allocation out of proportion to the input.
/// </summary>
internal static class ParserProbe
{
    /// <summary>Longer than any parse of a few kilobytes can take, even on a loaded CI machine.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="parse"/> on <paramref name="input"/>. Exceptions of the
    /// <paramref name="documented"/> types are a clear rejection and pass when their message is
    /// not empty; any other exception fails. Allocation is capped at
    /// <paramref name="bytesPerInputByte"/> per input byte plus a fixed 256 KiB.
    /// </summary>
    public static void Run(string parser, byte[] input, Action parse, int bytesPerInputByte = 64,
        params Type[] documented)
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            parse();
        }
        catch (Exception error) when (documented.Any(type => type.IsInstanceOfType(error)))
        {
            if (string.IsNullOrWhiteSpace(error.Message))
            {
                throw new FuzzFailure($"{parser} rejected the input with an empty message.", input, error);
            }
        }
        catch (Exception error) when (error is not FuzzFailure and not Xunit.Sdk.XunitException)
        {
            throw new FuzzFailure($"{parser} threw {error.GetType().Name}: {error.Message}", input, error);
        }

        clock.Stop();
        if (clock.Elapsed > HangLimit)
        {
            throw new FuzzFailure($"{parser} took {clock.Elapsed.TotalSeconds:F1} s.", input, null);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long limit = (256 * 1024) + ((long)bytesPerInputByte * input.Length);
        if (allocated > limit)
        {
            throw new FuzzFailure($"{parser} allocated {allocated:N0} bytes for {input.Length} input bytes (limit {limit:N0}).",
                input, null);
        }
    }
}
