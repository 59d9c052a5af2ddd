using System.Runtime.InteropServices;
using Samsa.Native.Abi;
using Samsa.Native.Clients;
using Samsa.Native.Interop;

namespace Samsa.Native.Exports;

/// <summary>OAUTHBEARER tokens from the application: the refresh callback and the functions it answers with.</summary>
[CCallback("samsa_oauthbearer_token_refresh_cb",
    "void (*samsa_oauthbearer_token_refresh_cb)(samsa_oauthbearer_request_t *request, const char *oauthbearer_config, void *opaque)",
    "Asked for an OAUTHBEARER token (sasl.mechanism=OAUTHBEARER) when a connection authenticates and the last token is missing or past 80% of its lifetime. Answer before returning with samsa_oauthbearer_set_token() or samsa_oauthbearer_set_token_failure() on request (valid only during the call). oauthbearer_config is the sasl.oauthbearer.config property (\"\" when not set). Called on a library thread, never two calls at once: it must be thread-safe with the rest of the application and should return promptly (connections wait for it).")]
internal static unsafe class OAuthBearerExports
{
    [CExport("Sets the OAUTHBEARER token refresh callback of clients made from this conf (NULL: none). With a callback, tokens come from it and the unsecured-JWT settings of sasl.oauthbearer.config are not used (the string is still passed to the callback).",
        Ownership = "opaque is passed back as is.",
        Threading = "Not concurrently with other calls on the same conf.",
        Returns = "SAMSA_OK, or SAMSA_ERR_INVALID_ARG for a NULL or destroyed conf.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_conf_set_oauthbearer_token_refresh_cb")]
    public static int SamsaConfSetOAuthBearerTokenRefreshCb(SamsaConf* conf,
        [CType("samsa_oauthbearer_token_refresh_cb")] delegate* unmanaged<SamsaOAuthBearerRequest*, byte*, void*, void> cb, void* opaque)
    {
        if (HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is not { } c)
        {
            return Errors.Invalid("conf is NULL or destroyed");
        }

        c.OAuthBearerCallback = cb;
        c.OAuthBearerOpaque = opaque;
        return Errors.Ok;
    }

    [CExport("Answers a token request with a token: token_value (a JWT or any RFC 6750 b64token), md_lifetime_ms (when it expires, in milliseconds since the Unix epoch), md_principal_name (informational, may be NULL) and SASL extensions (KIP-342) as extension_size strings alternating name and value.",
        Ownership = "Everything is copied.",
        Threading = "Only inside the token refresh callback, with the request it was given.",
        Returns = "SAMSA_OK; SAMSA_ERR_INVALID_ARG (errstr says why) for a stale request, a NULL or empty token, an expiry in the past, an odd extension_size or an extension name or value KIP-342 does not allow.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_oauthbearer_set_token")]
    public static int SamsaOAuthBearerSetToken(SamsaOAuthBearerRequest* request, [CType("const char *")] byte* token_value,
        [CType("int64_t")] long md_lifetime_ms, [CType("const char *")] byte* md_principal_name,
        [CType("const char *const *")] byte** extensions, nuint extension_size, [CType("char *")] byte* errstr, nuint errstr_size)
    {
        try
        {
            if (HandleTable.Get<NativeTokenRefresh.Request>((nint)request, HandleKind.OAuthBearerRequest) is not { } r)
            {
                return Errors.Set(Errors.InvalidArg, "Invalid argument: the request is NULL or no longer valid (use it only inside the callback).", errstr, errstr_size);
            }

            if (token_value is null || token_value[0] == 0)
            {
                return Errors.Set(Errors.InvalidArg, "Invalid argument: token_value is NULL or empty.", errstr, errstr_size);
            }

            if (md_lifetime_ms <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
            {
                return Errors.Set(Errors.InvalidArg, "Invalid argument: md_lifetime_ms is in the past (it is the expiry time in ms since the epoch, not a duration).", errstr, errstr_size);
            }

            if (extension_size % 2 != 0 || (extensions is null && extension_size != 0))
            {
                return Errors.Set(Errors.InvalidArg, "Invalid argument: extensions must alternate names and values (an even extension_size).", errstr, errstr_size);
            }

            Dictionary<string, string>? map = null;
            for (nuint i = 0; i < extension_size; i += 2)
            {
                if (extensions[i] is null || extensions[i + 1] is null)
                {
                    return Errors.Set(Errors.InvalidArg, "Invalid argument: an extension name or value is NULL.", errstr, errstr_size);
                }

                string name = Utf8.Decode(extensions[i], "extension name");
                string value = Utf8.Decode(extensions[i + 1], "extension value");
                if (!ExtensionAllowed(name, value))
                {
                    return Errors.Set(Errors.InvalidArg,
                        $"Invalid argument: SASL extension '{name}' is not allowed (KIP-342: a name of letters, not 'auth'; a value of printable ASCII).", errstr, errstr_size);
                }
                (map ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = value;
            }

            r.Token = new OAuthBearerToken(Utf8.Decode(token_value, "token"), DateTimeOffset.FromUnixTimeMilliseconds(md_lifetime_ms),
                md_principal_name is null ? null : Utf8.Decode(md_principal_name, "principal name"), map);
            r.Failure = null;
            Errors.Clear();
            return Errors.Ok;
        }
        catch (Exception e)
        {
            return Errors.From(e, errstr, errstr_size);
        }
    }

    [CExport("Answers a token request with a failure: the connection's authentication fails with SAMSA_ERR_AUTHENTICATION and errstr as the reason, and is retried after the reconnect backoff.",
        Ownership = "errstr is copied.",
        Threading = "Only inside the token refresh callback, with the request it was given.",
        Returns = "SAMSA_OK, or SAMSA_ERR_INVALID_ARG for a stale request.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_oauthbearer_set_token_failure")]
    public static int SamsaOAuthBearerSetTokenFailure(SamsaOAuthBearerRequest* request, [CType("const char *")] byte* errstr)
    {
        try
        {
            if (HandleTable.Get<NativeTokenRefresh.Request>((nint)request, HandleKind.OAuthBearerRequest) is not { } r)
            {
                return Errors.Invalid("the request is NULL or no longer valid (use it only inside the callback)");
            }

            r.Failure = errstr is null ? "(no reason given)" : Utf8.Decode(errstr, "errstr");
            r.Token = null;
            return Errors.Ok;
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    private static bool ExtensionAllowed(string name, string value)
    {
        if (name.Length == 0 || name == "auth")
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        foreach (char c in value)
        {
            if (c is not ((>= '\x21' and <= '\x7E') or ' ' or '\t' or '\r' or '\n'))
            {
                return false;
            }
        }

        return true;
    }
}
