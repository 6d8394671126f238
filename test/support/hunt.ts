/** The hunter's CI budget per family: soundness (controls) and power (output-bias) run at the same budget. */
export const CI_BUDGET = 10;
