namespace EdgeIoT.Hub.Import;

/// <summary>A rejected CSV row: the row number (header = 1), the column, the value and what is wrong.</summary>
public sealed record ImportRowError(int Row, string Column, string Value, string Message);
