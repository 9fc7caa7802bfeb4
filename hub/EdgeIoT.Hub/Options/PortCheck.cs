using System.Net;
using System.Net.Sockets;

namespace EdgeIoT.Hub.Options;

/// <summary>
/// Checks before the start that the fixed ports the hub will listen on are free, so a port in use
/// stops 'run' with one line naming the setting instead of a failed host start.
/// </summary>
public static class PortCheck
{
    /// <summary>Throws a <see cref="HubSettingsException"/> for the first configured port that cannot be bound.</summary>
    public static void RequireFree(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        if (options.Mqtt.Mode == BrokerMode.Embedded)
        {
            if (!IPAddress.TryParse(options.Mqtt.BindAddress, out IPAddress? address))
            {
                throw new HubSettingsException(
                    $"Hub:Mqtt:BindAddress '{options.Mqtt.BindAddress}' is invalid: use an IP address such as 127.0.0.1.");
            }

            BrokerTlsOptions tls = options.Mqtt.Tls;
            if (!tls.Enabled || tls.KeepPlainEndpoint)
            {
                Require(address, options.Mqtt.Port, $"Hub:Mqtt:Port {options.Mqtt.Port}");
            }

            if (tls.Enabled)
            {
                Require(address, tls.Port, $"Hub:Mqtt:Tls:Port {tls.Port}");
            }
        }

        foreach (string url in options.Http.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            // Kestrel also accepts the wildcard hosts '*' and '+', which Uri cannot parse.
            string parsable = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(parsable, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new HubSettingsException($"Hub:Http:Urls '{url}' is invalid: use http://ADDRESS:PORT, such as http://127.0.0.1:5080.");
            }

            IPAddress host = uri.IsLoopback && !IPAddress.TryParse(uri.Host, out _)
                ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host, out IPAddress? parsed) ? parsed : IPAddress.Any;
            Require(host, uri.Port, $"Hub:Http:Urls '{url}'");
        }
    }

    private static void Require(IPAddress address, int port, string setting)
    {
        if (port == 0)
        {
            return;
        }

        try
        {
            using var probe = new TcpListener(address, port);
            probe.Start();
            probe.Stop();
        }
        catch (SocketException exception)
        {
            string reason = exception.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? "is already in use by another process"
                : "cannot be bound: " + exception.Message;
            throw new HubSettingsException($"{setting} is unusable: port {port} on {address} {reason}.", exception);
        }
    }
}
