import { paymentMethod, registerPaymentMethod } from '../checkout/payment-methods.ts';
import { cardMethod } from './card.method.ts';
import { codMethod } from './cod.method.ts';

/** Adds card and COD to the checkout's registry, once per process (idempotent). */
export function registerCardAndCodMethods(): void {
  if (!paymentMethod('card')) registerPaymentMethod(cardMethod);
  if (!paymentMethod('cod')) registerPaymentMethod(codMethod);
}
