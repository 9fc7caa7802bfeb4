using System.Globalization;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Reporting;

/// <summary>
/// Read-only queries over the events the hub stored (the <c>events</c> table, JSON per row), for
/// the dashboard, the forecast and the post-event report. Every stored event counts once, also
/// after it was sent to the ledger.
/// </summary>
public sealed class EventQueries(HubDatabase database)
{
    private const string Decisions = "json_extract(json, '$.kind') = 'decision'";

    /// <summary>Counts decisions by outcome and mode.</summary>
    public DecisionTotals CountDecisions()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT
                COUNT(*),
                COALESCE(SUM(json_extract(json, '$.outcome') = 'admit'), 0),
                COALESCE(SUM(json_extract(json, '$.outcome') = 'deny'), 0),
                COALESCE(SUM(json_extract(json, '$.mode') = 'offline'), 0)
            FROM events WHERE {Decisions};
            """;
        using SqliteDataReader reader = command.ExecuteReader();
        reader.Read();
        return new DecisionTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Returns the deny count per reason code, largest first.</summary>
    public IReadOnlyList<NamedCount> CountDenialsByReason()
    {
        return ReadNamedCounts($"""
            SELECT COALESCE(json_extract(json, '$.reason'), 'unknown') AS reason, COUNT(*) AS n
            FROM events WHERE {Decisions} AND json_extract(json, '$.outcome') = 'deny'
            GROUP BY reason ORDER BY n DESC, reason;
            """);
    }

    /// <summary>Returns every decision with its device, time, outcome, mode and latency, in device time order.</summary>
    public IReadOnlyList<DecisionRow> ReadDecisions()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT json_extract(json, '$.deviceId'), json_extract(json, '$.deviceClass'),
                   json_extract(json, '$.deviceTimeMs'), COALESCE(json_extract(json, '$.outcome'), ''),
                   COALESCE(json_extract(json, '$.mode'), ''), json_extract(json, '$.latencyMicros'),
                   json_extract(json, '$.entitlementId')
            FROM events WHERE {Decisions}
            ORDER BY json_extract(json, '$.deviceTimeMs'), id;
            """;
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<DecisionRow>();
        while (reader.Read())
        {
            rows.Add(new DecisionRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? string.Empty : reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5) / 1000.0,
                reader.IsDBNull(6) ? null : reader.GetInt64(6)));
        }

        return rows;
    }

    /// <summary>
    /// Returns the device time of each entitlement's first admit, in order: one arrival per
    /// guest, so re-entries and staff rounds do not inflate the arrival curve. With
    /// <paramref name="guestListOnly"/>, walk-ins and assistants are left out.
    /// </summary>
    public IReadOnlyList<long> ReadFirstAdmitTimesMs(bool guestListOnly)
    {
        string guestList = guestListOnly
            ? "AND json_extract(json, '$.entitlementId') IN (SELECT id FROM entitlements WHERE order_code IS NOT NULL)"
            : string.Empty;
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT MIN(json_extract(json, '$.deviceTimeMs')) AS first_ms
            FROM events
            WHERE {Decisions} AND json_extract(json, '$.outcome') = 'admit'
              AND json_extract(json, '$.entitlementId') IS NOT NULL {guestList}
            GROUP BY json_extract(json, '$.entitlementId')
            ORDER BY first_ms;
            """;
        using SqliteDataReader reader = command.ExecuteReader();
        var times = new List<long>();
        while (reader.Read())
        {
            times.Add(reader.GetInt64(0));
        }

        return times;
    }

    /// <summary>
    /// Returns single-entry entitlements admitted more than once, as the ledger will flag them:
    /// each is a dispute that an operator settles. At most <paramref name="limit"/>, oldest first.
    /// </summary>
    public DisputeSummary FindDoubleAdmits(int limit)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT json_extract(json, '$.entitlementId') AS entitlement,
                   group_concat(json_extract(json, '$.deviceId'), ' ') AS devices,
                   MIN(json_extract(json, '$.deviceTimeMs')) AS first_ms,
                   COUNT(*) AS admits
            FROM events
            WHERE {Decisions} AND json_extract(json, '$.outcome') = 'admit'
              AND json_extract(json, '$.singleEntry') = 1
            GROUP BY entitlement HAVING admits > 1
            ORDER BY first_ms;
            """;
        using SqliteDataReader reader = command.ExecuteReader();
        var items = new List<DoubleAdmit>();
        int count = 0;
        while (reader.Read())
        {
            count++;
            if (items.Count < limit)
            {
                items.Add(new DoubleAdmit(
                    reader.GetInt64(0), reader.GetString(1).Split(' '), reader.GetInt64(2), reader.GetInt32(3)));
            }
        }

        return new DisputeSummary(count, items);
    }

    /// <summary>
    /// Returns sales per creator: payments taken with a creator's own token or with one of their
    /// assistants' delegated tokens, attributed to the creator's entitlement.
    /// </summary>
    public IReadOnlyList<CreatorPayout> SumPayoutsByCreator()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.creator, e.order_code, e.attendee_name, p.currency, p.sales, p.total_minor, p.assistant_sales
            FROM (
                SELECT COALESCE(json_extract(json, '$.delegatorId'), json_extract(json, '$.entitlementId')) AS creator,
                       COALESCE(json_extract(json, '$.currency'), '') AS currency,
                       COUNT(*) AS sales,
                       SUM(COALESCE(json_extract(json, '$.amountMinor'), 0)) AS total_minor,
                       SUM(json_extract(json, '$.delegatorId') IS NOT NULL) AS assistant_sales
                FROM events
                WHERE json_extract(json, '$.kind') = 'payment'
                  AND (json_extract(json, '$.delegatorId') IS NOT NULL OR json_extract(json, '$.role') = 'creator')
                GROUP BY creator, currency) AS p
            LEFT JOIN entitlements e ON e.id = p.creator
            ORDER BY p.total_minor DESC, p.creator;
            """;
        using SqliteDataReader reader = command.ExecuteReader();
        var payouts = new List<CreatorPayout>();
        while (reader.Read())
        {
            payouts.Add(new CreatorPayout(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetInt32(4),
                reader.GetInt64(5),
                reader.GetInt32(6)));
        }

        return payouts;
    }

    /// <summary>Returns payment count and total per currency, for all sales including walk-in purchases.</summary>
    public IReadOnlyList<NamedCount> SumPaymentsByCurrency()
    {
        return ReadNamedCounts("""
            SELECT COALESCE(json_extract(json, '$.currency'), '') AS currency,
                   SUM(COALESCE(json_extract(json, '$.amountMinor'), 0))
            FROM events WHERE json_extract(json, '$.kind') = 'payment'
            GROUP BY currency ORDER BY currency;
            """);
    }

    /// <summary>Counts guests on the guest list who may come: imported with an order code and not cancelled.</summary>
    public long CountExpectedGuests()
    {
        using SqliteConnection connection = database.Open();
        object? value = HubDatabase.Scalar(
            connection, "SELECT COUNT(*) FROM entitlements WHERE order_code IS NOT NULL AND cancelled = 0;");
        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Returns every status event with a detail, in the order the hub stored them.</summary>
    public IReadOnlyList<StatusRow> ReadStatusDetails()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT json_extract(json, '$.deviceId'), json_extract(json, '$.detail'), hub_received_ms
            FROM events
            WHERE json_extract(json, '$.kind') = 'status' AND json_extract(json, '$.detail') IS NOT NULL
            ORDER BY id;
            """;
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<StatusRow>();
        while (reader.Read())
        {
            rows.Add(new StatusRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return rows;
    }

    /// <summary>Returns the latency of each decision the hub stored at or after <paramref name="sinceMs"/>, oldest first.</summary>
    public IReadOnlyList<StoredLatency> ReadLatenciesSince(long sinceMs)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT json_extract(json, '$.deviceId'), hub_received_ms, json_extract(json, '$.latencyMicros')
            FROM events
            WHERE hub_received_ms >= $since AND {Decisions} AND json_extract(json, '$.latencyMicros') IS NOT NULL
            ORDER BY hub_received_ms, id;
            """;
        command.Parameters.AddWithValue("$since", sinceMs);
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<StoredLatency>();
        while (reader.Read())
        {
            rows.Add(new StoredLatency(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2) / 1000.0));
        }

        return rows;
    }

    private List<NamedCount> ReadNamedCounts(string sql)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        var counts = new List<NamedCount>();
        while (reader.Read())
        {
            counts.Add(new NamedCount(reader.GetString(0), reader.GetInt64(1)));
        }

        return counts;
    }
}
