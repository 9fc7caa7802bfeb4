using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Import;

/// <summary>
/// Reads a guest list in the layout of a common ticketing export. The header names columns
/// case-insensitively in any order: Order Code, Attendee Name, Email, Ticket Type, Tier,
/// Payment Status, and optionally Seat and Zone.
/// </summary>
public static class GuestCsv
{
    public const string OrderCode = "Order Code";
    public const string AttendeeName = "Attendee Name";
    public const string Email = "Email";
    public const string TicketType = "Ticket Type";
    public const string Tier = "Tier";
    public const string PaymentStatus = "Payment Status";
    public const string Seat = "Seat";
    public const string Zone = "Zone";

    private static readonly string[] RequiredColumns = [OrderCode, AttendeeName, Email, TicketType, Tier, PaymentStatus];

    /// <summary>
    /// Parses every data row; valid rows become entitlements (without ids) and each invalid row
    /// one error. Throws <see cref="FormatException"/> when the file as a whole is unusable.
    /// </summary>
    public static (IReadOnlyList<Entitlement> Rows, IReadOnlyList<ImportRowError> Errors) Parse(string csv)
    {
        IReadOnlyList<CsvRecord> records = CsvReader.Read(csv);
        if (records.Count == 0)
        {
            throw new FormatException("The CSV is empty; expected a header row and guest rows.");
        }

        Dictionary<string, int> columns = ReadHeader(records[0]);
        var rows = new List<Entitlement>();
        var errors = new List<ImportRowError>();
        var seenCodes = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 1; i < records.Count; i++)
        {
            var row = new RowReader(records[i], i + 1, columns);
            row.RejectFieldsBeyondHeader(records[0].Fields.Count);
            Entitlement? entitlement = ParseRow(row);
            if (entitlement is not null && !seenCodes.Add(entitlement.OrderCode!))
            {
                row.Fail(OrderCode, "repeats an order code of an earlier row");
                entitlement = null;
            }

            if (entitlement is null)
            {
                errors.Add(row.Error!);
            }
            else
            {
                rows.Add(entitlement);
            }
        }

        return (rows, errors);
    }

    /// <summary>Maps a ticket type to its role and whether it admits once.</summary>
    public static (GuestRole Role, bool SingleEntry) Classify(string ticketType)
    {
        ArgumentNullException.ThrowIfNull(ticketType);

        if (ticketType.Contains("Creator", StringComparison.OrdinalIgnoreCase))
        {
            return (GuestRole.Creator, false);
        }

        if (ticketType.Contains("Staff", StringComparison.OrdinalIgnoreCase))
        {
            return (GuestRole.Staff, false);
        }

        bool reentry = ticketType.Contains("Re-entry", StringComparison.OrdinalIgnoreCase)
            || ticketType.Contains("Weekend", StringComparison.OrdinalIgnoreCase);
        return (GuestRole.Guest, !reentry);
    }

    private static Dictionary<string, int> ReadHeader(CsvRecord header)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Fields.Count; i++)
        {
            columns.TryAdd(header.Fields[i].Trim(), i);
        }

        string[] missing = RequiredColumns.Where(name => !columns.ContainsKey(name)).ToArray();
        if (missing.Length > 0)
        {
            throw new FormatException(
                $"The CSV header lacks the column(s) {string.Join(", ", missing)}; "
                + $"expected {string.Join(",", RequiredColumns)}[,{Seat},{Zone}].");
        }

        return columns;
    }

    private static Entitlement? ParseRow(RowReader row)
    {
        string orderCode = row.Required(OrderCode);
        string name = row.Required(AttendeeName);
        string email = row.Get(Email);
        string ticketType = row.Required(TicketType);
        MembershipTier? tier = row.Enum<MembershipTier>(Tier, "standard, member, vip or staff");
        PaymentStatus? payment = row.Enum<PaymentStatus>(
            PaymentStatus, "paid, pending, failed, refunded or complimentary");
        byte? zone = row.Zone(Zone);
        if (email.Length > 0 && !email.Contains('@', StringComparison.Ordinal))
        {
            row.Fail(Email, "is not an email address");
        }

        if (row.Error is not null || tier is null || payment is null || zone is null)
        {
            return null;
        }

        (GuestRole role, bool singleEntry) = Classify(ticketType);
        return new Entitlement
        {
            OrderCode = orderCode,
            AttendeeName = name,
            Email = email.Length == 0 ? null : email,
            TicketType = ticketType,
            Tier = tier.Value,
            Payment = payment.Value,
            Zone = zone.Value,
            Seat = row.Get(Seat) is { Length: > 0 } seat ? seat : null,
            Role = role,
            SingleEntry = singleEntry,
            Cancelled = payment.Value == Firmware.Snapshot.PaymentStatus.Refunded,
        };
    }
}
