// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Permit2's SignatureTransfer, the part x402's proxies call (Uniswap permit2 `ISignatureTransfer.sol`).
interface ISignatureTransfer {
    struct TokenPermissions {
        address token;
        uint256 amount;
    }

    struct PermitTransferFrom {
        TokenPermissions permitted;
        uint256 nonce;
        uint256 deadline;
    }

    struct SignatureTransferDetails {
        address to;
        uint256 requestedAmount;
    }

    function permitWitnessTransferFrom(
        PermitTransferFrom calldata permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes32 witness,
        string calldata witnessTypeString,
        bytes calldata signature
    ) external;
}

/// @notice EIP-2612's `permit`.
interface IERC20Permit {
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;
}

/// @title X402BasePermit2Proxy
/// @notice What x402's Permit2 proxies share: the checks before Permit2's witness transfer, the EIP-2612 attempt of
/// `settleWithPermit`, the events and a reentrancy guard. Settlescan's own code, written to x402's behaviour
/// (coinbase/x402 `contracts/evm/src/x402BasePermit2Proxy.sol`, MIT): the devnet copies the runtime code of its
/// children to the canonical proxy addresses with `anvil_setCode`. So there is no constructor: Permit2's address is a
/// constant (x402 passes the same canonical address to its constructor on every chain) and the guard lives in
/// transient storage.
///
/// The generated ABIs must equal those x402's EVM npm package ships (`x402UptoPermit2ProxyABI`, `x402ExactPermit2ProxyABI`). Those
/// list neither the upto proxy's `InvalidAmount` nor the three `EIP2612PermitFailedWith*` events that x402's compiled
/// contracts have, so those two are raised in assembly, which keeps them out of the ABI but on chain as x402 has them.
abstract contract X402BasePermit2Proxy {
    /// @notice Permit2's canonical address (CREATE2, the same on every EVM chain).
    ISignatureTransfer public constant PERMIT2 = ISignatureTransfer(0x000000000022D473030F116dDEE9F6B43aC78BA3);

    bytes4 private constant INVALID_AMOUNT_SELECTOR = bytes4(keccak256("InvalidAmount()"));
    bytes32 private constant PERMIT_FAILED_WITH_REASON_TOPIC =
        keccak256("EIP2612PermitFailedWithReason(address,address,string)");
    bytes32 private constant PERMIT_FAILED_WITH_PANIC_TOPIC =
        keccak256("EIP2612PermitFailedWithPanic(address,address,uint256)");
    bytes32 private constant PERMIT_FAILED_WITH_DATA_TOPIC =
        keccak256("EIP2612PermitFailedWithData(address,address,bytes)");

    bool private transient entered;

    event Settled();
    event SettledWithPermit();

    /// @dev Never raised here (Permit2's address is a constant); declared because x402's ABI lists it.
    error InvalidPermit2Address();
    error InvalidDestination();
    error PaymentTooEarly();
    error InvalidOwner();
    error Permit2612AmountMismatch();
    error ReentrancyGuardReentrantCall();

    modifier nonReentrant() {
        if (entered) revert ReentrancyGuardReentrantCall();
        entered = true;
        _;
        entered = false;
    }

    /// @dev x402's `_settle`: the common checks, then Permit2 transfers `amount` from `owner` to `to`.
    function _settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        address to,
        uint256 validAfter,
        bytes32 witnessHash,
        string memory witnessTypeString,
        bytes calldata signature
    ) internal {
        if (amount == 0) _revertInvalidAmount();
        if (owner == address(0)) revert InvalidOwner();
        if (to == address(0)) revert InvalidDestination();
        if (block.timestamp < validAfter) revert PaymentTooEarly();
        PERMIT2.permitWitnessTransferFrom(
            permit,
            ISignatureTransfer.SignatureTransferDetails({to: to, requestedAmount: amount}),
            owner,
            witnessHash,
            witnessTypeString,
            signature
        );
    }

    /// @dev x402's `_executePermit`: the EIP-2612 approval of Permit2 may fail (already approved, no EIP-2612) without
    /// failing the settlement; its failure is logged as x402 logs it.
    function _executePermit(
        address token,
        address owner,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s,
        uint256 permittedAmount
    ) internal {
        if (value != permittedAmount) revert Permit2612AmountMismatch();
        try IERC20Permit(token).permit(owner, address(PERMIT2), value, deadline, v, r, s) {}
        catch Error(string memory reason) {
            _logPermitFailure(PERMIT_FAILED_WITH_REASON_TOPIC, token, owner, abi.encode(reason));
        } catch Panic(uint256 errorCode) {
            _logPermitFailure(PERMIT_FAILED_WITH_PANIC_TOPIC, token, owner, abi.encode(errorCode));
        } catch (bytes memory data) {
            _logPermitFailure(PERMIT_FAILED_WITH_DATA_TOPIC, token, owner, abi.encode(data));
        }
    }

    function _revertInvalidAmount() internal pure {
        bytes4 selector = INVALID_AMOUNT_SELECTOR;
        assembly {
            mstore(0, selector)
            revert(0, 4)
        }
    }

    function _logPermitFailure(bytes32 topic, address token, address owner, bytes memory data) private {
        assembly {
            log3(add(data, 0x20), mload(data), topic, token, owner)
        }
    }
}
