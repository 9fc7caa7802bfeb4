using System.Globalization;
using System.Text;

namespace EdgeIoT.Simulator.Guests;

/// <summary>
/// Writes a synthetic guest list in the layout of a common ticketing export. Names are
/// built from invented syllables, so the file contains no personal data. The same seed
/// always writes the same file.
/// </summary>
public static class GuestListGenerator
{
    public const string Header = "Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status,Seat,Zone";

    private static readonly string[] FirstSyllables =
        ["Ka", "Lo", "Mi", "Ta", "Ve", "Ro", "Sa", "Ni", "Do", "Fe", "Gu", "Ha", "Ji", "Qu", "Wy", "Ze"];

    private static readonly string[] LastSyllables =
        ["ren", "vik", "sol", "mar", "dun", "lia", "tor", "ban", "quel", "rix", "nor", "pel", "zan", "mo"];

    private static readonly (string Type, string Tier, int Weight)[] TicketTypes =
    [
        ("General Admission", "standard", 60),
        ("Weekend Pass", "member", 15),
        ("Member Early Entry", "member", 10),
        ("VIP Lounge", "vip", 8),
        ("Creator Pass", "vip", 1),
        ("Staff", "staff", 2),
    ];

    private static readonly (string Status, int Weight)[] PaymentStatuses =
    [
        ("paid", 88), ("pending", 6), ("complimentary", 3), ("failed", 2), ("refunded", 1),
    ];

    /// <summary>
    /// Broken rows appended at fixed positions, so a first run shows row-level import errors
    /// next to a successful load. Each breaks one column.
    /// </summary>
    private static readonly string[] BrokenRows =
    [
        ",Oro Kaldan,oro.kaldan@example.test,General Admission,standard,paid,,1",
        "PX-BROKEN-2,Mira Tolven,mira.tolven@example.test,General Admission,platinum,paid,,1",
        "PX-BROKEN-3,Ivo Senmar,not-an-email,General Admission,standard,paid,,1",
        "PX-BROKEN-4,Lena Drovik,lena.drovik@example.test,VIP Lounge,vip,paid?,,2",
        "PX-BROKEN-5,Tova Remdun,tova.remdun@example.test",
    ];

    public static string Generate(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);

        var random = new Random(seed);
        var csv = new StringBuilder();
        csv.Append(Header).Append("\r\n");
        int brokenEvery = Math.Max(1, count / (BrokenRows.Length + 1));
        int brokenWritten = 0;
        for (int i = 1; i <= count; i++)
        {
            AppendGuest(csv, random, i);
            if (i % brokenEvery == 0 && brokenWritten < BrokenRows.Length)
            {
                csv.Append(BrokenRows[brokenWritten++]).Append("\r\n");
            }
        }

        return csv.ToString();
    }

    private static void AppendGuest(StringBuilder csv, Random random, int index)
    {
        string first = Name(random, 2);
        string last = Name(random, 2);
        var (type, tier, _) = Pick(random, TicketTypes, t => t.Weight);
        string payment = type == "Staff" ? "complimentary" : Pick(random, PaymentStatuses, p => p.Weight).Status;
        string zone = tier == "vip" ? "2" : "1";
        string seat = tier == "vip" ? string.Create(CultureInfo.InvariantCulture, $"V{random.Next(1, 40)}") : "";
        string order = string.Create(CultureInfo.InvariantCulture, $"PX-{100000 + (index * 7919 % 900000):D6}");

        // Some exports quote every name, and names may contain commas; quote one in ten.
        string attendee = random.Next(10) == 0 ? $"\"{last}, {first}\"" : $"{first} {last}";
        string email = $"{first}.{last}{index}@example.test".ToLowerInvariant();
        csv.Append(CultureInfo.InvariantCulture, $"{order},{attendee},{email},{type},{tier},{payment},{seat},{zone}\r\n");
    }

    private static string Name(Random random, int syllables)
    {
        var name = new StringBuilder(FirstSyllables[random.Next(FirstSyllables.Length)]);
        for (int i = 1; i < syllables; i++)
        {
            name.Append(LastSyllables[random.Next(LastSyllables.Length)]);
        }

        return name.ToString();
    }

    private static T Pick<T>(Random random, T[] items, Func<T, int> weight)
    {
        int total = items.Sum(weight);
        int roll = random.Next(total);
        foreach (T item in items)
        {
            roll -= weight(item);
            if (roll < 0)
            {
                return item;
            }
        }

        return items[^1];
    }
}
