using EdgeIoT.Hub.Dashboard;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>Authenticates device connections, enforces subscription permissions and records last-seen times.</summary>
public sealed class ConnectionGuard(
    DeviceStore devices, HubActivity activity, HubOptions options, TimeProvider time, ILogger<ConnectionGuard> logger)
{
    private readonly TopicAcl _acl = new(options.Venue);

    public Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        if (string.IsNullOrEmpty(args.ClientId))
        {
            // MQTT 5 section 3.1.3.1: the server assigns an id to a client that sent none, as
            // mosquitto_sub does by default. Assigned first, so a rejected login still gets its
            // own reason code. MQTT 3.1.1 clients must send one (-i).
            args.AssignedClientIdentifier = "client-" + Guid.NewGuid().ToString("N");
        }

        string? problem = null;
        if (string.IsNullOrEmpty(args.UserName))
        {
            problem = "anonymous connections are not allowed";
        }
        else if (args.ClientId == HubBroker.HubClientId)
        {
            problem = "the client id is reserved for the hub";
        }
        else if (!devices.VerifyPassword(args.UserName, args.Password))
        {
            problem = "unknown device or wrong password";
        }

        if (problem is not null)
        {
            // MQTT 5 CONNACK reason 0x86 (Bad User Name or Password).
            args.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            BrokerLog.ConnectionRejected(logger, args.RemoteEndPoint?.ToString(), problem, args.ClientId, args.UserName);
            return Task.CompletedTask;
        }

        SessionIdentity.SetDevice(args.SessionItems, args.UserName!);
        return Task.CompletedTask;
    }

    public Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        string deviceId = SessionIdentity.GetDevice(args.SessionItems, args.UserName);
        if (!_acl.CanSubscribe(deviceId, args.TopicFilter.Topic))
        {
            args.ProcessSubscription = false;
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            BrokerLog.SubscriptionRejected(logger, deviceId, args.TopicFilter.Topic);
        }

        return Task.CompletedTask;
    }

    public Task OnClientConnectedAsync(ClientConnectedEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        BrokerLog.DeviceConnected(logger, args.UserName, args.RemoteEndPoint?.ToString());
        activity.OnConnected();
        RecordSeen(args.UserName, "online", args.ClientId);
        return Task.CompletedTask;
    }

    public Task OnClientDisconnectedAsync(ClientDisconnectedEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        activity.OnDisconnected();
        if (!string.IsNullOrEmpty(args.UserName))
        {
            BrokerLog.DeviceDisconnected(logger, args.UserName, args.DisconnectType.ToString());
            RecordSeen(args.UserName, "offline", args.ClientId);
        }

        return Task.CompletedTask;
    }

    private void RecordSeen(string? deviceId, string state, string clientId)
    {
        if (string.IsNullOrEmpty(deviceId))
        {
            return;
        }

        try
        {
            devices.RecordSeen(deviceId, state, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            BrokerLog.HandlerFailed(logger, exception, clientId);
        }
    }
}
