using System.Runtime.InteropServices;
using Samsa.Native.Abi;
using Samsa.Native.Interop;

namespace Samsa.Native.Clients;

/// <summary>
/// The OAUTHBEARER token provider of a client made from a conf with samsa_conf_set_oauthbearer_token_refresh_cb:
/// each call hands the C callback a request handle, and the callback answers through samsa_oauthbearer_set_token()
/// or samsa_oauthbearer_set_token_failure() before it returns. The client calls it on one of its own threads,
/// never two at once (the token source serializes fetches).
/// </summary>
internal sealed unsafe class NativeTokenRefresh
{
    private readonly delegate* unmanaged<SamsaOAuthBearerRequest*, byte*, void*, void> _callback;
    private readonly void* _opaque;
    private readonly string _config;

    public NativeTokenRefresh(delegate* unmanaged<SamsaOAuthBearerRequest*, byte*, void*, void> callback, void* opaque, string? config)
    {
        _callback = callback;
        _opaque = opaque;
        _config = config ?? string.Empty;
    }

    /// <summary>Applies the callback to a client configuration (it replaces any unsecured-JWT settings).</summary>
    public static TConfig Apply<TConfig>(NativeConf conf, TConfig config)
        where TConfig : ClientConfig
    {
        if (conf.OAuthBearerCallback is null || config.SaslMechanism != SaslMechanism.OAuthBearer)
        {
            return config;
        }

        var refresh = new NativeTokenRefresh(conf.OAuthBearerCallback, conf.OAuthBearerOpaque, config.SaslOAuthBearerConfig);
        return config with { OAuthBearerTokenProvider = refresh.Provide, SaslOAuthBearerConfig = null };
    }

    public ValueTask<OAuthBearerToken> Provide(CancellationToken cancellationToken)
    {
        var request = new Request();
        nint handle = HandleTable.Add(HandleKind.OAuthBearerRequest, request);
        byte* config = Utf8.Allocate(_config);
        try
        {
            _callback((SamsaOAuthBearerRequest*)handle, config, _opaque);
        }
        finally
        {
            HandleTable.Remove<Request>(handle, HandleKind.OAuthBearerRequest);
            NativeMemory.Free(config);
        }

        if (request.Token is { } token)
        {
            return ValueTask.FromResult(token);
        }

        throw new KafkaException(ErrorCode.LocalAuthentication, request.Failure is { } failure
            ? $"The OAUTHBEARER token refresh callback failed: {failure}"
            : "The OAUTHBEARER token refresh callback returned without calling samsa_oauthbearer_set_token() or samsa_oauthbearer_set_token_failure().");
    }

    /// <summary>What the callback answered.</summary>
    internal sealed class Request
    {
        public OAuthBearerToken? Token { get; set; }

        public string? Failure { get; set; }
    }
}
