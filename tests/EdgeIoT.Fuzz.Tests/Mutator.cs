using CsCheck;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// Mutation fuzzing: takes valid inputs (the corpus) and breaks them the ways real damage does,
/// a flipped bit, a truncated read, a doubled chunk, bytes from another message. Starting from
/// valid inputs reaches the deep branches of a parser that random bytes never get past.
/// </summary>
internal static class Mutator
{
    private static readonly byte[] Interesting =
        [0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)',',
         (byte)':', (byte)'\n', (byte)'\r', (byte)'-', (byte)'0', (byte)'9', (byte)'e', 0xC3, 0xED];

    /// <summary>Mutants of the corpus, each made from one corpus entry and a seed.</summary>
    public static Gen<byte[]> Mutants(IReadOnlyList<byte[]> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (corpus.Count == 0)
        {
            throw new ArgumentException("The corpus needs at least one valid input.", nameof(corpus));
        }

        return Gen.Select(Gen.Int[0, corpus.Count - 1], Gen.Int)
            .Select((index, seed) => Mutate(corpus[index], corpus, seed));
    }

    /// <summary>Applies one to four random edits, deterministic for a given seed.</summary>
    public static byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus, int seed)
    {
        var random = new Random(seed);
        var bytes = new List<byte>(input);
        int edits = 1 + random.Next(4);
        for (int i = 0; i < edits; i++)
        {
            Edit(bytes, corpus, random);
        }

        return [.. bytes];
    }

    private static void Edit(List<byte> bytes, IReadOnlyList<byte[]> corpus, Random random)
    {
        int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        switch (random.Next(8))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[at] = Interesting[random.Next(Interesting.Length)];
                break;
            case 2:
                bytes.InsertRange(at, RandomBytes(random, 1 + random.Next(8)));
                break;
            case 3 when bytes.Count > 0:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                break;
            case 4 when bytes.Count > 0:
                int length = Math.Min(bytes.Count - at, 1 + random.Next(32));
                bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                break;
            case 5:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 6:
                byte[] other = corpus[random.Next(corpus.Count)];
                int from = other.Length == 0 ? 0 : random.Next(other.Length);
                bytes.RemoveRange(at, bytes.Count - at);
                bytes.AddRange(other.AsSpan(from).ToArray());
                break;
            default:
                for (int i = at; i < Math.Min(bytes.Count, at + 1 + random.Next(8)); i++)
                {
                    bytes[i] = (byte)random.Next(256);
                }

                break;
        }
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
