namespace Samsa;

/// <summary>
/// Version information of the Samsa assembly. <see cref="Version"/> is a constant written by the build from
/// <c>$(Version)</c> (Samsa.Managed.csproj, target <c>WriteSamsaVersion</c>) rather than read from the assembly's
/// attributes: reading a custom attribute through reflection pulls NativeAOT's reflection stack and metadata into
/// memory at client creation, about a megabyte of libsamsa's resident pages for one string (BENCHMARKS.md, RSS).
/// </summary>
internal static partial class ThisAssembly;
