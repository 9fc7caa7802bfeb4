namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>Guest lists in the ticketing export layout the hub imports.</summary>
internal static class Guests
{
    public const string Header = "Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status,Seat,Zone";

    /// <summary>Returns a CSV of single-entry paid guests PX-{first} to PX-{last}.</summary>
    public static string Range(int first, int last) => Header + "\r\n" + string.Join("\r\n", Enumerable
        .Range(first, last - first + 1)
        .Select(i => $"PX-{i},Guest {i},g{i}@example.test,General Admission,standard,paid,,0")) + "\r\n";

    public static string Rows(params string[] rows) => Header + "\r\n" + string.Join("\r\n", rows) + "\r\n";
}
