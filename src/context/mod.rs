//! What the model gets to see of the code, and why: the symbol index, the ranking, the repo
//! map, the gate, the choice of pieces for a position, and what a question names (`@`
//! mentions and their completion). This file is the module list.

pub mod assemble;
pub mod candidates;
pub mod engine;
pub mod gate;
pub mod index;
pub mod map;
pub mod mentions;
pub mod rank;
pub mod tags;
pub mod workspace;
