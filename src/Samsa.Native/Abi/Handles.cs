using Samsa.Native.Interop;

namespace Samsa.Native.Abi;

// Opaque handle types: never dereferenced on either side (see HandleTable); only their pointer types are used.

[CStruct("samsa_conf_t", "A configuration: properties and callbacks, shared by producers and consumers (as librdkafka's).", Opaque = true)]
internal struct SamsaConf;

[CStruct("samsa_producer_t", "A producer.", Opaque = true)]
internal struct SamsaProducer;

[CStruct("samsa_consumer_t", "A consumer.", Opaque = true)]
internal struct SamsaConsumer;

[CStruct("samsa_oauthbearer_request_t", "A request for an OAUTHBEARER token, handed to the token refresh callback; valid only during that call.", Opaque = true)]
internal struct SamsaOAuthBearerRequest;

[CStruct("samsa_admin_t", "An admin client (topics, groups).", Opaque = true)]
internal struct SamsaAdmin;
