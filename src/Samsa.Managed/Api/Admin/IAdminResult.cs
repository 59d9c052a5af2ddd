namespace Samsa;

/// <summary>
/// The outcome of one item of an admin operation (a topic, a partition, a group, a config resource). Every
/// operation returns one result per item; when any item failed it throws an <see cref="AdminException{TResult}"/>
/// carrying all of them, so one failed item never hides the others' outcomes.
/// </summary>
public interface IAdminResult
{
    /// <summary>What the item is, for messages: e.g. "topic 'orders'", "orders [3]", "group 'billing'".</summary>
    string Subject { get; }

    /// <summary><see cref="ErrorCode.None"/> when the item succeeded.</summary>
    ErrorCode Error { get; }

    /// <summary>The broker's (or client's) explanation of <see cref="Error"/>, when there is one.</summary>
    string? ErrorMessage { get; }
}
