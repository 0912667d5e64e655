// `lightsnap/ics23`: ICS23 proof verification in WASM, a drop-in for @confio/ics23, with the
// CometBFT Merkle trees and multistore proofs that IBC and abci_query proofs end in. A package
// entry of its own at the top, so that src/ics23/ and src/merkle/ (which uses ICS23) stay one-way.
export * from './ics23/index.js';
export * from './merkle/index.js';
